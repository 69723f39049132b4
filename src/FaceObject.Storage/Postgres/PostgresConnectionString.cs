using Npgsql;

namespace FaceObject.Storage.Postgres;

/// <summary>Reads <c>ConnectionStrings:Postgres</c>: an Npgsql connection string, or the <c>postgresql://</c> URL other tools use.</summary>
internal static class PostgresConnectionString
{
    private const string Accepted = "set ConnectionStrings__Postgres to an Npgsql connection string "
        + "(Host=postgres;Port=5432;Username=faceobject;Password=...;Database=faceobject) or a URL "
        + "(postgresql://faceobject:password@postgres:5432/faceobject)";

    /// <exception cref="InvalidOperationException">Neither form. The message never holds the value: it may hold a password.</exception>
    public static string Parse(string setting)
    {
        var trimmed = setting.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUrl(trimmed);
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(trimmed).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:Postgres is not an Npgsql connection string ({e.Message}); {Accepted}.", e);
        }
    }

    private static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidOperationException($"ConnectionStrings:Postgres is not a postgresql:// URL with a host (query options are not read); {Accepted}.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            builder.Password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        return builder.ConnectionString;
    }
}
