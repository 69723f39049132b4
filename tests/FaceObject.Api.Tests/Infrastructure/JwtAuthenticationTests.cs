using System.Security.Claims;
using System.Text;
using FaceObject.Api.Infrastructure;
using FaceObject.ServiceDefaults.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FaceObject.Api.Tests.Infrastructure;

/// <summary>HS256 tokens (Auth:Jwt:SigningKey) minted here, checked by the API's real authentication and policies.</summary>
public sealed class JwtAuthenticationTests : IDisposable
{
    private const string Secret = "a-test-signing-secret-of-at-least-32-bytes!";
    private const string Issuer = "https://id.example.test";
    private const string Audience = "faceobject-api";

    private readonly AccessServices _access = new(["alpha"], "ops", "pw", new JwtSettings
    {
        SigningKey = Secret, Issuer = Issuer, Audience = Audience, DashboardRole = "dashboard", DeleteRole = "tasks:delete",
    });

    internal static string Mint(SigningCredentials credentials, string audience = Audience, string issuer = Issuer, DateTime? expires = null, params Claim[] claims)
    {
        var end = expires ?? DateTime.UtcNow.AddMinutes(5);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "alice"), .. claims]),
            IssuedAt = end.AddHours(-1),
            NotBefore = end.AddHours(-1),
            Expires = end,
            SigningCredentials = credentials,
        });
    }

    private static SigningCredentials Hs256(string secret = Secret) =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256);

    private DefaultHttpContext WithBearer(string token, Action<HttpRequest>? more = null) =>
        _access.Request(AccessServices.Remote, r =>
        {
            r.Headers.Authorization = "Bearer " + token;
            more?.Invoke(r);
        });

    [Fact]
    public async Task AuthorizeAsync_Succeeds_WithAValidToken_AndNamesItsSubject()
    {
        var context = WithBearer(Mint(Hs256()));

        var decision = await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy);

        decision.Succeeded.Should().BeTrue();
        context.User.Identities.Should().ContainSingle(i => i.IsAuthenticated).Which.AuthenticationType.Should().Be(AccessPolicies.JwtScheme);
        context.User.FindFirst("sub")!.Value.Should().Be("alice");
        RateLimiting.ClientOf(context).Should().Be("sub:alice");
    }

    public static TheoryData<string, string> RefusedTokens() => new()
    {
        { Mint(Hs256(), expires: DateTime.UtcNow.AddMinutes(-10)), "has expired" },
        { Mint(Hs256("another-secret-that-is-also-32-bytes-long")), "signature is not valid" },
        { Mint(Hs256(), audience: "someone-else"), "aud 'faceobject-api'" },
        { Mint(Hs256(), issuer: "https://evil.example.test"), "issuer this server does not trust" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task AuthorizeAsync_Challenges401SayingWhy_WhenTheTokenIsRefused(string token, string why)
    {
        var context = WithBearer(token);

        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Challenged.Should().BeTrue();

        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.CallerScheme);
        context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        context.Response.ContentType.Should().StartWith("application/problem+json");
        context.Response.Headers.WWWAuthenticate.ToString().Should().Be("Bearer");
        problem["detail"]!.GetValue<string>().Should().Contain(why).And.NotContain(Secret);
    }

    [Fact]
    public async Task AuthorizeAsync_GoesByTheKey_WhenAKeyAndATokenComeTogether()
    {
        var withValidKey = WithBearer(Mint(Hs256(), expires: DateTime.UtcNow.AddMinutes(-10)), r => r.Headers["X-Api-Key"] = "alpha");
        var withWrongKey = WithBearer(Mint(Hs256()), r => r.Headers["X-Api-Key"] = "wrong");

        (await _access.AuthorizeAsync(withValidKey, AccessPolicies.ApiKeyPolicy)).Succeeded.Should().BeTrue();
        withValidKey.User.Identity!.AuthenticationType.Should().Be(AccessPolicies.ApiKeyScheme);
        (await _access.AuthorizeAsync(withWrongKey, AccessPolicies.ApiKeyPolicy)).Challenged.Should().BeTrue();
    }

    [Fact]
    public async Task AuthorizeAsync_AcceptsAKeyAsBearer_WhenTokensAreOn()
    {
        var context = _access.Request(AccessServices.Remote, r => r.Headers.Authorization = "Bearer alpha");

        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Succeeded.Should().BeTrue();
        context.User.Identity!.AuthenticationType.Should().Be(AccessPolicies.ApiKeyScheme);
    }

    [Fact]
    public async Task DeleteTasksPolicy_Forbids403_ATokenWithoutTheDeleteRole_AndAllowsOneWithItOrAKey()
    {
        var without = WithBearer(Mint(Hs256(), claims: new Claim("scope", "tasks:read")));
        var withScope = WithBearer(Mint(Hs256(), claims: new Claim("scope", "tasks:read tasks:delete")));
        var withRole = WithBearer(Mint(Hs256(), claims: new Claim("roles", "tasks:delete")));
        var key = _access.Request(AccessServices.Remote, r => r.Headers["X-Api-Key"] = "alpha");

        (await _access.AuthorizeAsync(without, AccessPolicies.DeleteTasksPolicy)).Forbidden.Should().BeTrue();
        var problem = await AccessServices.ForbidAsync(without, AccessPolicies.CallerScheme);
        without.Response.StatusCode.Should().Be(StatusCodes.Status403Forbidden);
        problem["detail"]!.GetValue<string>().Should().Contain("Auth:Jwt:DeleteRole");
        (await _access.AuthorizeAsync(withScope, AccessPolicies.DeleteTasksPolicy)).Succeeded.Should().BeTrue();
        (await _access.AuthorizeAsync(withRole, AccessPolicies.DeleteTasksPolicy)).Succeeded.Should().BeTrue();
        (await _access.AuthorizeAsync(key, AccessPolicies.DeleteTasksPolicy)).Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task Dashboard_OpensToATokenWithTheDashboardRole_AndRefusesOneWithout()
    {
        var with = WithBearer(Mint(Hs256(), claims: new Claim("roles", "dashboard")));
        var without = WithBearer(Mint(Hs256()));

        (await _access.AuthorizeAsync(with, AccessPolicies.DashboardPolicy)).Succeeded.Should().BeTrue();
        with.User.Identity!.Name.Should().Be("alice");
        (await _access.AuthorizeAsync(without, AccessPolicies.DashboardPolicy)).Challenged.Should().BeTrue();
        var problem = await AccessServices.ChallengeAsync(without, AccessPolicies.DashboardScheme);
        without.Response.StatusCode.Should().Be(StatusCodes.Status403Forbidden, "the token is valid; it lacks the role");
        problem["detail"]!.GetValue<string>().Should().Contain("'dashboard'");
    }

    [Fact]
    public async Task Dashboard_RefusesAnExpiredToken_SayingSo()
    {
        var context = WithBearer(Mint(Hs256(), claims: new Claim("roles", "dashboard"), expires: DateTime.UtcNow.AddMinutes(-10)));

        (await _access.AuthorizeAsync(context, AccessPolicies.DashboardPolicy)).Challenged.Should().BeTrue();
        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.DashboardScheme);
        context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        problem["detail"]!.GetValue<string>().Should().Contain("expired");
    }

    [Theory]
    [InlineData("short", "iss", "aud", "at least 32 bytes")]
    [InlineData(Secret, "", "aud", "Auth:Jwt:Issuer")]
    [InlineData(Secret, "iss", "", "Auth:Jwt:Audience")]
    public void Validate_RefusesSettingsThatCannotCheckATokenSafely(string key, string issuer, string audience, string named)
    {
        var settings = new JwtSettings { SigningKey = key, Issuer = issuer, Audience = audience };

        settings.Invoking(s => s.Validate()).Should().Throw<HostConfigurationException>().Which.Message.Should().Contain(named);
    }

    [Fact]
    public void Validate_RefusesAnAuthorityAndASigningKeyTogether() =>
        new JwtSettings { Authority = "https://id.example.test", SigningKey = Secret, Issuer = "i", Audience = "a" }
            .Invoking(s => s.Validate()).Should().Throw<HostConfigurationException>().Which.Message.Should().Contain("not both");

    public void Dispose() => _access.Dispose();
}
