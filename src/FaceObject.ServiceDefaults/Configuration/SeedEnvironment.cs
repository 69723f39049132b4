using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace FaceObject.ServiceDefaults.Configuration;

/// <summary>
/// The environment variables the Python services were deployed with, honoured where FaceObject's own settings are
/// not given: <c>REDIS_URL</c> (<c>redis://[[user]:password@]host[:port][/db]</c>, or <c>rediss://</c> for TLS) for
/// <c>ConnectionStrings:Redis</c>, and <c>AWS_REGION</c> for <c>Storage:S3:Region</c>. Teams moving over keep their
/// deployment files; an explicit FaceObject setting always wins.
/// </summary>
internal static class SeedEnvironment
{
    public const string RedisUrlKey = "REDIS_URL";
    public const string AwsRegionKey = "AWS_REGION";
    public const string RegionKey = "Storage:S3:Region";
    private const string RedisConnectionKey = "ConnectionStrings:Redis";

    /// <exception cref="HostConfigurationException"><c>REDIS_URL</c> is used and is not such a URL.</exception>
    public static void Apply(IConfigurationManager configuration)
    {
        var filled = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(configuration[RedisConnectionKey]) && configuration[RedisUrlKey] is { Length: > 0 } url)
        {
            filled[RedisConnectionKey] = ToConnectionString(url);
        }

        if (string.IsNullOrWhiteSpace(configuration[RegionKey]) && configuration[AwsRegionKey] is { Length: > 0 } region)
        {
            filled[RegionKey] = region.Trim();
        }

        if (filled.Count > 0)
        {
            configuration.AddInMemoryCollection(filled);
        }
    }

    /// <summary>A StackExchange.Redis connection string for a <c>redis://</c> or <c>rediss://</c> URL.</summary>
    /// <exception cref="HostConfigurationException">Not such a URL: the message names the accepted form.</exception>
    public static string ToConnectionString(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss")
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw Invalid(url, "it is not a redis:// or rediss:// URL with a host");
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0 && !(int.TryParse(database, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 15))
        {
            throw Invalid(url, $"the database '/{database}' is not a number from 0 to 15");
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        var parts = new List<string> { $"{uri.Host}:{port.ToString(CultureInfo.InvariantCulture)}" };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? "" : uri.UserInfo[..colon]);
            var password = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
            if ((user + password).Contains(',', StringComparison.Ordinal))
            {
                // A comma separates options in a connection string and cannot be escaped there.
                throw Invalid(url, "its user or password holds a comma; set ConnectionStrings__Redis instead");
            }

            parts.Add(user.Length > 0 ? $"user={user}" : "");
            parts.Add($"password={password}");
        }

        if (database.Length > 0)
        {
            parts.Add($"defaultDatabase={database}");
        }

        if (uri.Scheme == "rediss")
        {
            parts.Add("ssl=true");
        }

        return string.Join(',', parts.Where(p => p.Length > 0));
    }

    // The URL may hold a password, so the message names the form, never the value.
    private static HostConfigurationException Invalid(string url, string why) =>
        new($"{RedisUrlKey} is not usable ({why}); the accepted form is redis://[[user]:password@]host[:port][/db] "
            + $"or rediss://... for TLS, e.g. redis://:secret@redis:6379/0 (it is {(url.Length == 0 ? "empty" : $"{url.Length} characters long")}).");
}
