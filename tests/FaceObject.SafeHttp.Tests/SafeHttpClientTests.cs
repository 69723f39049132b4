using System.Net;
using FaceObject.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaceObject.SafeHttp.Tests;

/// <summary>The guarded client against a real server on 127.0.0.1: what is allowed connects, what is not never does.</summary>
public sealed class SafeHttpClientTests : IAsyncLifetime
{
    private LocalHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync((app, server) =>
    {
        app.MapGet("/hello", () => "hello");
        app.MapGet("/to-hello", () => Results.Redirect("/hello"));
        app.MapGet("/to-localhost", () => Results.Redirect($"http://localhost:{server.Port}/hello"));
        app.MapGet("/to-other-loopback", () => Results.Redirect($"http://127.0.0.2:{server.Port}/hello"));
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetAsync_IsRefusedBeforeConnecting_WhenLoopbackIsNotAllowed()
    {
        using var client = Create();

        var act = () => client.Client.GetStringAsync(new Uri(_server.BaseUrl + "/hello"));

        var error = await act.Should().ThrowAsync<HttpRequestException>();
        SafeHttpClient.FindRefusal(error.Which)!.Message.Should().Contain("loopback").And.Contain("Fetch:AllowedHosts");
        _server.RequestsTo("/hello").Should().BeEmpty();
    }

    [Fact]
    public async Task GetAsync_IsRefusedAfterDns_WhenNameResolvesToLoopback()
    {
        using var client = Create();

        var act = () => client.Client.GetStringAsync(new Uri($"http://localhost:{_server.Port}/hello"));

        var refusal = SafeHttpClient.FindRefusal((await act.Should().ThrowAsync<HttpRequestException>()).Which);
        refusal.Should().NotBeNull();
        refusal!.Message.Should().Contain("localhost resolves to").And.Contain("loopback");
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task GetAsync_FollowsRedirect_WhenEveryHopIsAllowed()
    {
        using var client = Create("127.0.0.1");

        (await client.Client.GetStringAsync(new Uri(_server.BaseUrl + "/to-hello"))).Should().Be("hello");
    }

    [Fact]
    public async Task GetAsync_RefusesRedirect_WhenItLeadsToAnAddressNotAllowed()
    {
        using var client = Create("127.0.0.1");

        var act = () => client.Client.GetStringAsync(new Uri(_server.BaseUrl + "/to-other-loopback"));

        var refusal = SafeHttpClient.FindRefusal((await act.Should().ThrowAsync<HttpRequestException>()).Which);
        refusal!.Address.Should().Be(IPAddress.Parse("127.0.0.2"));
        _server.RequestsTo("/hello").Should().BeEmpty();
    }

    [Fact]
    public async Task GetAsync_ConnectsByName_WhenTheNameIsAllowed()
    {
        using var client = Create("localhost");

        (await client.Client.GetStringAsync(new Uri($"http://localhost:{_server.Port}/hello"))).Should().Be("hello");
    }

    [Fact]
    public async Task NoRedirects_ReturnsTheRedirect_InsteadOfFollowingIt()
    {
        using var client = Create("127.0.0.1");

        using var response = await client.NoRedirects.GetAsync(new Uri(_server.BaseUrl + "/to-hello"));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    private static SafeHttpClient Create(params string[] allowed)
    {
        var options = new FetchOptions();
        foreach (var entry in allowed)
        {
            options.AllowedHosts.Add(entry);
        }

        return new SafeHttpClient(new OutboundPolicy(NetworkAllowList.Parse(allowed, out _)), Options.Create(options));
    }
}
