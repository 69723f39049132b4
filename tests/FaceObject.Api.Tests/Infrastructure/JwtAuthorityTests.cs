using System.Security.Claims;
using System.Security.Cryptography;
using FaceObject.Api.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace FaceObject.Api.Tests.Infrastructure;

/// <summary>
/// Auth:Jwt:Authority: an OpenID Connect provider's discovery document and keys, served by a real Kestrel on
/// 127.0.0.1, read by the API's JWT handler to check RS256 tokens minted here.
/// </summary>
public sealed class JwtAuthorityTests : IAsyncLifetime, IDisposable
{
    private const string Audience = "faceobject-api";

    private static readonly string[] Algorithms = ["RS256"];

    private readonly RSA _providerKey = RSA.Create(2048);
    private readonly RSA _strangerKey = RSA.Create(2048);
    private WebApplication? _provider;
    private AccessServices? _access;
    private string _issuer = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["jwks_uri"] = _issuer + "/jwks",
            ["id_token_signing_alg_values_supported"] = Algorithms,
        }));
        _provider.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_providerKey.ExportParameters(false)) { KeyId = "k1" });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await _provider.StartAsync();
        _issuer = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        _access = new AccessServices([], jwt: new JwtSettings { Authority = _issuer, RequireHttpsMetadata = false, Audience = Audience });
    }

    private string Mint(RSA key) => JwtAuthenticationTests.Mint(
        new SigningCredentials(new RsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256), Audience, _issuer, null, new Claim("scope", "detect"));

    [Fact]
    public async Task AuthorizeAsync_Succeeds_WithATokenSignedByTheProvidersKey()
    {
        var context = _access!.Request(AccessServices.Remote, r => r.Headers.Authorization = "Bearer " + Mint(_providerKey));

        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Succeeded.Should().BeTrue();
        context.User.FindFirst("sub")!.Value.Should().Be("alice");
    }

    [Fact]
    public async Task AuthorizeAsync_Challenges401_WithATokenSignedByAnotherKey()
    {
        var context = _access!.Request(AccessServices.Remote, r => r.Headers.Authorization = "Bearer " + Mint(_strangerKey));

        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Challenged.Should().BeTrue();
        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.CallerScheme);
        context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        problem["detail"]!.GetValue<string>().Should().Contain("signature");
    }

    [Fact]
    public async Task AuthorizeAsync_Challenges401SayingATokenIsNeeded_WhenNothingIsSent()
    {
        var context = _access!.Request(AccessServices.Remote);

        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Challenged.Should().BeTrue();
        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.CallerScheme);
        problem["detail"]!.GetValue<string>().Should().Contain("Authorization: Bearer <token>");
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _access?.Dispose();
        _providerKey.Dispose();
        _strangerKey.Dispose();
    }
}
