using System.Text;
using FaceObject.Api.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Api.Tests.Infrastructure;

/// <summary>The dashboard policy (<see cref="AccessPolicies.DashboardPolicy"/>) as the authorization middleware applies it.</summary>
public sealed class DashboardAccessTests
{
    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    [Fact]
    public async Task AuthorizeAsync_Succeeds_WhenRequestIsLocalAndNoCredentialsAreSet()
    {
        using var access = new AccessServices([]);

        (await access.AuthorizeAsync(access.Request(), AccessPolicies.DashboardPolicy)).Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task AuthorizeAsync_Refuses403_WhenRemoteAndNoCredentialsAreSet()
    {
        using var access = new AccessServices(["alpha"]);
        var context = access.Request(AccessServices.Remote, r => r.Headers["X-Api-Key"] = "alpha");

        var decision = await access.AuthorizeAsync(context, AccessPolicies.DashboardPolicy);

        decision.Succeeded.Should().BeFalse("without dashboard credentials it is local-only, API key or not");
        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.DashboardScheme);
        context.Response.StatusCode.Should().Be(StatusCodes.Status403Forbidden);
        problem["detail"]!.GetValue<string>().Should().Contain("only to requests made on this machine").And.Contain("Dashboard:Username");
    }

    [Fact]
    public async Task AuthorizeAsync_Refuses_WhenALocalProxyRelaysTheRequest()
    {
        using var access = new AccessServices([]);
        var context = access.Request(configure: r => r.Headers["X-Forwarded-For"] = "203.0.113.7");

        (await access.AuthorizeAsync(context, AccessPolicies.DashboardPolicy)).Succeeded.Should().BeFalse();
    }

    [Fact]
    public async Task AuthorizeAsync_Succeeds_WhenRemoteSendsTheBasicCredentials()
    {
        using var access = new AccessServices([], "ops", "s3cret:with colon");
        var context = access.Request(AccessServices.Remote, r => r.Headers.Authorization = Basic("ops:s3cret:with colon"));

        (await access.AuthorizeAsync(context, AccessPolicies.DashboardPolicy)).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ops:wrong")]
    [InlineData("opsx:s3cret")]
    [InlineData(":s3cret")]
    [InlineData("ops")]
    public async Task AuthorizeAsync_Challenges401Basic_WhenCredentialsAreMissingOrWrong(string? credentials)
    {
        using var access = new AccessServices([], "ops", "s3cret");
        var context = access.Request(configure: r =>
        {
            if (credentials is not null)
            {
                r.Headers.Authorization = Basic(credentials);
            }
        });

        (await access.AuthorizeAsync(context, AccessPolicies.DashboardPolicy)).Challenged.Should().BeTrue("a local request needs the credentials too once they are set");
        var problem = await AccessServices.ChallengeAsync(context, AccessPolicies.DashboardScheme);
        context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        context.Response.Headers.WWWAuthenticate.ToString().Should().StartWith("Basic realm=");
        problem["detail"]!.GetValue<string>().Should().Contain("Dashboard:Username");
    }

    [Fact]
    public async Task AuthorizeAsync_AcceptsAnApiKey_OnlyWhenCredentialsAndKeysAreSet()
    {
        using var withKeys = new AccessServices(["alpha"], "ops", "s3cret");
        using var withoutKeys = new AccessServices([], "ops", "s3cret");

        var keyed = withKeys.Request(AccessServices.Remote, r => r.Headers["X-Api-Key"] = "alpha");
        var wrongKey = withKeys.Request(AccessServices.Remote, r => r.Headers.Authorization = "Bearer beta");
        var unknownKey = withoutKeys.Request(AccessServices.Remote, r => r.Headers["X-Api-Key"] = "alpha");

        (await withKeys.AuthorizeAsync(keyed, AccessPolicies.DashboardPolicy)).Succeeded.Should().BeTrue();
        (await withKeys.AuthorizeAsync(wrongKey, AccessPolicies.DashboardPolicy)).Succeeded.Should().BeFalse();
        (await withoutKeys.AuthorizeAsync(unknownKey, AccessPolicies.DashboardPolicy)).Succeeded.Should().BeFalse();
    }
}
