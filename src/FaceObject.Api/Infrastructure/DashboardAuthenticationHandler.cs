using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// The <see cref="AccessPolicies.DashboardScheme"/> scheme. With <c>Dashboard:Username</c> and <c>Dashboard:Password</c>
/// set, a request is authenticated by those credentials (HTTP basic auth, compared in constant time) or, when
/// <c>Api:Keys</c> is set, by a valid API key. With <c>Auth:Jwt</c> set, a valid token opens it too (one carrying
/// <c>Auth:Jwt:DashboardRole</c> when that is set), with or without credentials. Otherwise nobody is authenticated
/// here: the dashboard is then open only to local requests (<see cref="DashboardAccessRequirement"/>), and a refusal
/// is a 403 that says so.
/// </summary>
internal sealed class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<DashboardOptionsSettings> settings,
    ApiKeys keys,
    JwtSettings jwt,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string BasicChallenge = "Basic realm=\"FaceObject dashboard\", charset=\"UTF-8\"";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentsToken())
        {
            var token = await Context.AuthenticateAsync(AccessPolicies.JwtScheme);
            if (!token.Succeeded)
            {
                return AuthenticateResult.Fail(JwtAuthentication.Why(token.Failure, jwt));
            }

            return JwtSettings.Grants(token.Principal, jwt.DashboardRole)
                ? Success(token.Principal.FindFirst("sub")?.Value ?? "jwt")
                : AuthenticateResult.Fail($"The token lacks the role or scope '{jwt.DashboardRole}' (Auth:Jwt:DashboardRole) that opens the dashboard.");
        }

        return Authenticate(settings.Value);
    }

    private bool PresentsToken() => AccessPolicies.PresentsToken(Request, keys, jwt);

    private AuthenticateResult Authenticate(DashboardOptionsSettings dashboard)
    {
        if (!dashboard.HasCredentials)
        {
            return AuthenticateResult.NoResult();
        }

        if (AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return HasValidCredentials(header.Parameter, dashboard)
                ? Success(dashboard.Username)
                : AuthenticateResult.Fail("The dashboard user name or password is wrong.");
        }

        if (keys.Enabled && ApiKeys.Presented(Request) is { } key)
        {
            return keys.IsValid(key) ? Success(ApiKeyAuthenticationHandler.ClientName) : AuthenticateResult.Fail("The API key is not valid.");
        }

        return AuthenticateResult.NoResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (PresentsToken())
        {
            var result = await HandleAuthenticateOnceSafeAsync();
            var message = result.Failure?.Message ?? "The token is not valid.";
            if ((await Context.AuthenticateAsync(AccessPolicies.JwtScheme)).Succeeded)
            {
                // A valid token without the dashboard's role: who the caller is is known, so it is a refusal, not a challenge.
                await AccessProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, message);
                return;
            }

            Response.Headers.WWWAuthenticate = "Bearer";
            await AccessProblems.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, message);
            return;
        }

        if (!settings.Value.HasCredentials)
        {
            await AccessProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden,
                "The dashboard is open only to requests made on this machine (not relayed by a proxy); set Dashboard:Username and "
                + "Dashboard:Password to open it to others with those credentials.");
            return;
        }

        Response.Headers.WWWAuthenticate = BasicChallenge;
        await AccessProblems.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, keys.Enabled
            ? "The dashboard needs the Dashboard:Username and Dashboard:Password credentials (HTTP basic auth) or an API key."
            : "The dashboard needs the Dashboard:Username and Dashboard:Password credentials (HTTP basic auth).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AccessProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "These credentials may not open the dashboard.");

    private AuthenticateResult Success(string name)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private static bool HasValidCredentials(string? parameter, DashboardOptionsSettings dashboard)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
        }
        catch (FormatException)
        {
            return false;
        }

        // Both halves are always compared, so the time taken does not tell a right user name from a wrong one.
        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            & FixedTimeEquals(decoded[..Math.Max(separator, 0)], dashboard.Username)
            & FixedTimeEquals(decoded[(separator + 1)..], dashboard.Password);
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
