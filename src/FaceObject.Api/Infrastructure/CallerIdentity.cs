namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Who an authenticated caller is, in words safe to log and to key a rate-limit bucket by: the key's id, the token's
/// subject or the dashboard user; never the key or the token itself.
/// </summary>
internal static class CallerIdentity
{
    /// <summary><c>key:&lt;id&gt;</c>, <c>sub:&lt;subject&gt;</c>, <c>dashboard:&lt;user&gt;</c>, or null when nobody was authenticated.</summary>
    public static string? Of(HttpContext context)
    {
        var identity = context.User.Identities.FirstOrDefault(i => i.IsAuthenticated);
        return identity?.AuthenticationType switch
        {
            AccessPolicies.ApiKeyScheme when identity.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } keyId => "key:" + keyId,
            AccessPolicies.JwtScheme when identity.FindFirst("sub")?.Value is { } subject => "sub:" + subject,
            AccessPolicies.DashboardScheme => "dashboard:" + identity.Name,
            _ => null,
        };
    }
}
