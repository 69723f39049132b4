using System.Security.Claims;
using FaceObject.ServiceDefaults.Configuration;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// <c>Auth:Jwt:*</c>: bearer tokens from an identity provider, accepted beside the API keys. Either
/// <see cref="Authority"/> (OpenID Connect discovery: issuer and signing keys come from the provider) or, for a simple
/// setup, <see cref="SigningKey"/> (HS256) with <see cref="Issuer"/>; <see cref="Audience"/> is always checked.
/// </summary>
internal sealed class JwtSettings
{
    public const string Section = "Auth:Jwt";

    /// <summary>HS256 needs a key of at least 256 bits; a shorter one is refused at start.</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>The identity provider's base address; its <c>/.well-known/openid-configuration</c> is read.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Whether the discovery document must come over HTTPS (turn off only for a provider on this machine).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The shared HS256 secret, when there is no <see cref="Authority"/>.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>The <c>iss</c> a token must carry; required with <see cref="SigningKey"/>, optional with an authority.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The <c>aud</c> a token must carry.</summary>
    public string Audience { get; set; } = "";

    /// <summary>A role or scope a token needs to open the dashboard; empty: any valid token opens it.</summary>
    public string DashboardRole { get; set; } = "";

    /// <summary>A role or scope a token needs to cancel or delete tasks; empty: any valid token may.</summary>
    public string DeleteRole { get; set; } = "";

    /// <summary>How far clocks may disagree when checking <c>exp</c> and <c>nbf</c>, in seconds.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    public bool Enabled => Authority.Length > 0 || SigningKey.Length > 0;

    /// <exception cref="HostConfigurationException">The settings cannot check a token safely.</exception>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (Authority.Length > 0 && SigningKey.Length > 0)
        {
            throw new HostConfigurationException("Set either Auth:Jwt:Authority (OpenID Connect discovery) or Auth:Jwt:SigningKey (HS256), not both.");
        }

        if (Audience.Length == 0)
        {
            throw new HostConfigurationException("Auth:Jwt:Audience is not set: every token is checked for the audience it was issued to (for example faceobject-api).");
        }

        if (SigningKey.Length > 0 && Issuer.Length == 0)
        {
            throw new HostConfigurationException("Auth:Jwt:SigningKey needs Auth:Jwt:Issuer: the iss every token must carry.");
        }

        if (SigningKey.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(SigningKey) < MinimumSigningKeyBytes)
        {
            throw new HostConfigurationException($"Auth:Jwt:SigningKey is too short for HS256: it needs at least {MinimumSigningKeyBytes} bytes (openssl rand -base64 48 makes one).");
        }
    }

    /// <summary>
    /// Whether the caller may do what <paramref name="role"/> guards: always when no role is configured or the
    /// caller came with an API key (keys carry full access); a token needs it in <c>roles</c>/<c>role</c> or in
    /// its space-separated <c>scope</c>/<c>scp</c>.
    /// </summary>
    public static bool Grants(ClaimsPrincipal user, string role)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (role.Length == 0 || !user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == AccessPolicies.JwtScheme))
        {
            return true;
        }

        return user.Claims.Any(c => c.Type is "roles" or "role" ? c.Value == role
            : c.Type is "scope" or "scp" && c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(role, StringComparer.Ordinal));
    }

    /// <summary>Whether the request's bearer credential has the shape of a JWT (three base64url parts, a JSON header).</summary>
    public static bool LooksLikeJwt(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = authorization.AsSpan("Bearer ".Length).Trim();
        return token.StartsWith("eyJ", StringComparison.Ordinal) && token.Count('.') == 2;
    }
}
