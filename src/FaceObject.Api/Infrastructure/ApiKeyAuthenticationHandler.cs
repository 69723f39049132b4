using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// The <see cref="AccessPolicies.ApiKeyScheme"/> scheme: a request that presents a key (<c>X-Api-Key</c> or
/// <c>Authorization: Bearer</c>) is authenticated when the key is one of <c>Api:Keys</c>; a request without one is
/// left unauthenticated, so the endpoint's policy decides. A refusal is a 401 problem saying how to send a key.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys, JwtSettings jwt, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Who the caller is: one of the configured keys (which one is not recorded, so it cannot leak into logs).</summary>
    public const string ClientName = "api-key";

    /// <summary>Which configured key authenticated the request (<see cref="ApiKeys.Identify"/>), for a rate-limit bucket each.</summary>
    public const string KeyIdClaim = "faceobject:api_key_id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ApiKeys.Presented(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Identify(presented) is not { } keyId)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, ClientName), new Claim(KeyIdClaim, keyId)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var missing = (keys.Enabled, jwt.Enabled) switch
        {
            (false, true) => "This server requires a token: send it as Authorization: Bearer <token>.",
            (true, true) => "This server requires an API key or a token: send a key as the X-Api-Key header or as Authorization: Bearer <key>, or a token as Authorization: Bearer <token>.",
            _ => "This server requires an API key: send it as the X-Api-Key header or as Authorization: Bearer <key>.",
        };
        return AccessProblems.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, ApiKeys.Presented(Request) is null
            ? missing
            : keys.Enabled ? "The API key is not valid." : "This credential is neither a valid token nor one of the server's API keys (it has none).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AccessProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "This API key may not use this endpoint.");
}
