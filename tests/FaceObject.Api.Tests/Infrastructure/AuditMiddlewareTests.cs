using System.Text.Json.Nodes;
using FaceObject.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Tests.Infrastructure;

/// <summary>The audit middleware around requests authenticated by the API's real key handler, written to a real file sink.</summary>
public sealed class AuditMiddlewareTests : IDisposable
{
    private const string Key = "audit-secret-key";

    private readonly AccessServices _access = new([Key]);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"faceobject-audit-{Guid.NewGuid():N}.log");
    private readonly AuditLog _audit;

    public AuditMiddlewareTests() =>
        _audit = new AuditLog(Options.Create(new AuditOptions { Sink = "file", Path = _file }), NullLoggerFactory.Instance);

    private async Task<HttpContext> CallAsync(string method, string path, int status, Action<HttpContext>? endpoint = null)
    {
        var context = _access.Request(AccessServices.Remote, r =>
        {
            r.Method = method;
            r.Path = path;
            r.Headers["X-Api-Key"] = Key;
        });
        var middleware = new AuditMiddleware(async http =>
        {
            // What the authorization middleware does first: authenticate the caller by the endpoint's policy.
            (await _access.AuthorizeAsync(http, AccessPolicies.ApiKeyPolicy)).Succeeded.Should().BeTrue();
            http.Response.StatusCode = status;
            endpoint?.Invoke(http);
        }, _audit);
        await middleware.InvokeAsync(context);
        return context;
    }

    private JsonObject[] Lines() => [.. File.ReadAllLines(_file).Select(l => (JsonObject)JsonNode.Parse(l)!)];

    [Fact]
    public async Task ASubmitACancelAndADelete_EachWriteOneEvent_WithTheKeyIdAndNoSecret()
    {
        await CallAsync("POST", "/api/detect/yolox/image", 202, http => http.Response.Headers.Location = "/api/task/t-new");
        await CallAsync("DELETE", "/api/task/t-queued", 200, http => http.Request.RouteValues["id"] = "t-queued");
        await CallAsync("DELETE", "/api/task/t-done", 409, http => http.Request.RouteValues["id"] = "t-done");

        var lines = Lines();
        lines.Should().HaveCount(3);
        lines.Select(l => l["task_id"]!.GetValue<string>()).Should().Equal("t-new", "t-queued", "t-done");
        lines.Select(l => l["outcome"]!.GetValue<string>()).Should().Equal("succeeded", "succeeded", "rejected");
        lines[0]["action"]!.GetValue<string>().Should().Be("POST /api/detect/yolox/image");
        lines.Should().AllSatisfy(l =>
        {
            l["identity"]!.GetValue<string>().Should().MatchRegex("^key:[0-9A-F]{16}$");
            l["client"]!.GetValue<string>().Should().Be(AccessServices.Remote.ToString());
        });
        File.ReadAllText(_file).Should().NotContain(Key);
    }

    [Fact]
    public async Task Reads_AreNotAudited()
    {
        await CallAsync("GET", "/api/task/t-1", 200);
        await CallAsync("POST", "/hangfire/jobs/enqueued/delete", 204);

        Lines().Should().ContainSingle().Which["action"]!.GetValue<string>().Should().Be("POST /hangfire/jobs/enqueued/delete");
    }

    [Fact]
    public void AnUnknownSink_IsRefusedNamingWhatIsAccepted() =>
        FluentActions.Invoking(() => new AuditLog(Options.Create(new AuditOptions { Sink = "syslog" }), NullLoggerFactory.Instance))
            .Should().Throw<FaceObject.ServiceDefaults.Configuration.HostConfigurationException>().Which.Message.Should().Contain("log, stdout, file");

    public void Dispose()
    {
        _audit.Dispose();
        _access.Dispose();
        File.Delete(_file);
    }
}
