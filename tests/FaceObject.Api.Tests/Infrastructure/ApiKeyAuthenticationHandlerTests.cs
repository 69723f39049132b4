using FaceObject.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Api.Tests.Infrastructure;

public sealed class ApiKeyAuthenticationHandlerTests : IDisposable
{
    private readonly AccessServices _access = new(["alpha, beta"]);

    [Fact]
    public async Task AuthenticateAsync_Succeeds_WhenAKeyIsSentAsXApiKey()
    {
        var context = _access.Request(configure: r => r.Headers["X-Api-Key"] = "alpha");

        var result = await context.AuthenticateAsync(AccessPolicies.ApiKeyScheme);

        result.Succeeded.Should().BeTrue();
        result.Principal!.Identity!.AuthenticationType.Should().Be(AccessPolicies.ApiKeyScheme);
        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task AuthenticateAsync_Succeeds_WhenAKeyIsSentAsBearer()
    {
        var context = _access.Request(configure: r => r.Headers.Authorization = "Bearer beta");

        (await context.AuthenticateAsync(AccessPolicies.ApiKeyScheme)).Succeeded.Should().BeTrue();
        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("gamma")]
    [InlineData("alph")] // a prefix of a key: a comparison that stops at the first difference would be timing the rest
    [InlineData("alphabet")]
    [InlineData("ALPHA")]
    [InlineData("alpha,beta")]
    public async Task AuthorizeAsync_Challenges401NamingTheKey_WhenTheKeyIsWrong(string key)
    {
        var context = _access.Request(configure: r => r.Headers["X-Api-Key"] = key);

        (await context.AuthenticateAsync(AccessPolicies.ApiKeyScheme)).Failure!.Message.Should().Be("The API key is not valid.");
        var decision = await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy);
        decision.Challenged.Should().BeTrue();

        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.ApiKeyScheme);
        context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        context.Response.Headers.WWWAuthenticate.ToString().Should().Be("Bearer");
        context.Response.ContentType.Should().StartWith("application/problem+json");
        problem["detail"]!.GetValue<string>().Should().Be("The API key is not valid.");
    }

    [Fact]
    public async Task AuthorizeAsync_Challenges401SayingHowToSendAKey_WhenNoKeyIsSent()
    {
        var context = _access.Request(configure: r => r.Headers.Authorization = "Basic b3BzOnB3");

        (await context.AuthenticateAsync(AccessPolicies.ApiKeyScheme)).None.Should().BeTrue();
        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Challenged.Should().BeTrue();

        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.ApiKeyScheme);
        context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        problem["status"]!.GetValue<int>().Should().Be(401);
        problem["detail"]!.GetValue<string>().Should().Contain("X-Api-Key").And.Contain("Authorization: Bearer");
    }

    public void Dispose() => _access.Dispose();
}
