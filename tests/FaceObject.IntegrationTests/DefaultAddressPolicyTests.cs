using System.Net;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>With no Fetch:AllowedHosts, nothing on this machine is reachable through image_url or callback_url.</summary>
public sealed class DefaultAddressPolicyTests(DefaultPolicyApiFixture fixture) : IClassFixture<DefaultPolicyApiFixture>
{
    private FaceObjectClient Client => fixture.Client;

    [Fact]
    public async Task SubmitImageUrl_Answers400NamingTheSetting_WhenHostIsLiteralLoopback()
    {
        using var response = await Client.SubmitImageUrlAsync("object", fixture.Site.BaseUrl + "/images/dog.jpg");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>()
            .Should().Contain("127.0.0.1").And.Contain("loopback").And.Contain("Fetch:AllowedHosts");
    }

    [Fact]
    public async Task ImageUrl_FailsMentioningPrivateAddresses_WhenNameResolvesToLoopback()
    {
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", $"http://localhost:{fixture.Site.Port}/images/dog.jpg");

        var task = await Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(60));

        task["status"]!.GetValue<string>().Should().Be("failed");
        task["error"]!.GetValue<string>().Should().Contain("localhost resolves to").And.Contain("loopback").And.Contain("private");
        fixture.Site.RequestsTo("/images/dog.jpg").Should().BeEmpty("the worker must not connect at all");
    }

    [Fact]
    public async Task SubmitImage_Answers400_WhenCallbackUrlIsLiteralLoopback()
    {
        using var response = await Client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg",
            "?callback_url=" + Uri.EscapeDataString(fixture.Site.BaseUrl + "/hooks/ok/x"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("callback_url").And.Contain("Fetch:AllowedHosts");
    }

    [Fact]
    public async Task Callback_FailsAtOnceWithoutPosting_WhenNameResolvesToLoopback()
    {
        var hook = $"/hooks/ok/{Guid.NewGuid():N}";
        var taskId = await Client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg",
            "?callback_url=" + Uri.EscapeDataString($"http://localhost:{fixture.Site.Port}{hook}"));

        var task = await Client.WaitForCallbackAsync(taskId, TimeSpan.FromSeconds(60));

        task["status"]!.GetValue<string>().Should().Be("completed");
        var callback = task["callback"]!;
        callback["status"]!.GetValue<string>().Should().Be("failed");
        callback["attempts"]!.GetValue<int>().Should().Be(1, "a refused address is not retried");
        callback["last_error"]!.GetValue<string>().Should().Contain("refused").And.Contain("loopback");
        fixture.Site.RequestsTo(hook).Should().BeEmpty();
    }
}
