using FaceObject.Api.Infrastructure;

namespace FaceObject.Api.Tests.Infrastructure;

public sealed class RateLimitingTests : IDisposable
{
    private readonly AccessServices _access = new(["alpha, beta"]);

    [Fact]
    public void ClientOf_IsTheAddress_WhenTheRequestSendsAKeyButWasNotAuthenticated()
    {
        var first = _access.Request(AccessServices.Remote, r => r.Headers["X-Api-Key"] = "made-up-1");
        var second = _access.Request(AccessServices.Remote, r => r.Headers["X-Api-Key"] = "made-up-2");

        RateLimiting.ClientOf(first).Should().Be("ip:" + AccessServices.Remote);
        RateLimiting.ClientOf(second).Should().Be(RateLimiting.ClientOf(first));
    }

    [Fact]
    public async Task ClientOf_IsOnePerConfiguredKey_WithoutTheKey_WhenTheRequestIsAuthenticated()
    {
        var alpha = await AuthenticatedAsync("alpha");
        var alphaAgain = await AuthenticatedAsync("alpha");
        var beta = await AuthenticatedAsync("beta");

        RateLimiting.ClientOf(alpha).Should().StartWith("key:").And.NotContain("alpha");
        RateLimiting.ClientOf(alphaAgain).Should().Be(RateLimiting.ClientOf(alpha));
        RateLimiting.ClientOf(beta).Should().NotBe(RateLimiting.ClientOf(alpha));
    }

    public void Dispose() => _access.Dispose();

    private async Task<Microsoft.AspNetCore.Http.HttpContext> AuthenticatedAsync(string key)
    {
        var context = _access.Request(AccessServices.Remote, r => r.Headers["X-Api-Key"] = key);
        (await _access.AuthorizeAsync(context, AccessPolicies.ApiKeyPolicy)).Succeeded.Should().BeTrue();
        return context;
    }
}
