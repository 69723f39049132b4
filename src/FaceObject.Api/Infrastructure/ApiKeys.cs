using System.Security.Cryptography;
using System.Text;

namespace FaceObject.Api.Infrastructure;

/// <summary>The configured API keys and how a request presents one (<c>X-Api-Key</c> or <c>Authorization: Bearer</c>).</summary>
internal sealed class ApiKeys(IEnumerable<string> keys)
{
    // Entries may also be comma-separated, so one environment variable (Api__Keys__0=a,b) can carry several keys.
    private readonly byte[][] _keys = keys
        .SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Select(Encoding.UTF8.GetBytes)
        .ToArray();

    public bool Enabled => _keys.Length > 0;

    /// <summary>The key the request presents, if any (not yet checked).</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header) && !string.IsNullOrEmpty(header))
        {
            return header.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Compares in constant time against every key, so timing does not reveal a key's prefix.</summary>
    public bool IsValid(string? presented)
    {
        if (presented is null)
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(presented);
        var valid = false;
        foreach (var key in _keys)
        {
            valid |= CryptographicOperations.FixedTimeEquals(given, key);
        }

        return valid;
    }
}
