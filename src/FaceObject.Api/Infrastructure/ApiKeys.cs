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

    // Tells the keys apart (a rate-limit bucket each) without carrying them: the first 64 bits of each key's SHA-256,
    // in hex. Computed on first use, not per request; a racing second computation gives the same values.
    private string[]? _ids;

    public bool Enabled => _keys.Length > 0;

    /// <summary>The key the request presents, if any (not yet checked).</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header) && !string.IsNullOrEmpty(header))
        {
            return header.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        // Browsers cannot set headers on a WebSocket or an EventSource, so those two may carry the key in the query.
        var query = request.Query["api_key"].ToString();
        var isStreamRequest = request.HttpContext.WebSockets.IsWebSocketRequest || request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal);
        return isStreamRequest && query.Length > 0 ? query : null;
    }

    /// <summary>Compares in constant time against every key, so timing does not reveal a key's prefix.</summary>
    public bool IsValid(string? presented) => Identify(presented) is not null;

    /// <summary>
    /// The id of the configured key <paramref name="presented"/> equals (never the key itself), or null when it
    /// matches none. Every key is compared in constant time, with no early exit.
    /// </summary>
    public string? Identify(string? presented)
    {
        if (presented is null)
        {
            return null;
        }

        var given = Encoding.UTF8.GetBytes(presented);
        var match = -1;
        for (var i = 0; i < _keys.Length; i++)
        {
            match = CryptographicOperations.FixedTimeEquals(given, _keys[i]) ? i : match;
        }

        if (match < 0)
        {
            return null;
        }

        _ids ??= [.. _keys.Select(key => Convert.ToHexString(SHA256.HashData(key).AsSpan(0, 8)))];
        return _ids[match];
    }
}
