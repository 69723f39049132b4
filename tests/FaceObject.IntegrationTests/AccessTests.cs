using System.Net;
using System.Net.Http.Headers;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Keys, rate limits, back-pressure and the dashboard's locality rule, against a real API process. The API only
/// enqueues, into its own Redis, and no worker runs (nothing here needs a model), so tasks stay queued where a test
/// needs a full queue.
/// </summary>
public sealed class AccessTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly List<ServiceProcess> _processes = [];

    [Fact]
    public async Task ApiCalls_Need_AValidKey_WhenKeysAreConfigured()
    {
        using var client = await StartApiAsync(new() { ["Api:Keys:0"] = "alpha,beta" });

        (await client.Http.GetAsync(new Uri("/api/models", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var wrong = Request("/api/models", r => r.Headers.Add("X-Api-Key", "gamma"));
        (await client.Http.SendAsync(wrong)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var header = Request("/api/models", r => r.Headers.Add("X-Api-Key", "alpha"));
        (await client.Http.SendAsync(header)).StatusCode.Should().Be(HttpStatusCode.OK);
        using var bearer = Request("/api/models", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "beta"));
        (await client.Http.SendAsync(bearer)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await client.Http.GetAsync(new Uri("/livez", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MissingKey_Gets401ProblemSayingHowToSendOne()
    {
        using var client = await StartApiAsync(new() { ["Api:Keys:0"] = "alpha", ["Api:MetricsRequireKey"] = "true" });

        using var response = await client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("X-Api-Key");
        (await client.Http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task EveryApiRoute_NeedsAKey_WhileDocsAndProbesStayOpen()
    {
        using var client = await StartApiAsync(new() { ["Api:Keys:0"] = "alpha" });

        foreach (var path in new[] { "/api/queues", "/api/task/nope", "/api/batch/nope", "/api/models", "/status/nope", "/stats", "/queue-status", "/health" })
        {
            using var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, path);
            response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer", path);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", path);
        }

        (await client.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Http.GetAsync(new Uri("/", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Submit_Gets429WithRetryAfter_WhenClientExceedsItsRate()
    {
        using var client = await StartApiAsync(new() { ["Api:RateLimit:PermitsPerSecond"] = "1", ["Api:RateLimit:Burst"] = "2" });
        var image = TestPaths.ImageBytes("dog.jpg");

        // Eight at once against a bucket of two refilled at one a second: however slow this machine is, the
        // requests arrive well within the six seconds it would take to refill enough tokens for all of them.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SubmitImageAsync("object", image)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        statuses.Count(s => s == HttpStatusCode.Accepted).Should().BeInRange(2, 7, string.Join(",", statuses));
        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        (await FaceObjectClient.ReadProblemAsync(limited))["detail"]!.GetValue<string>().Should().Contain("per second");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Submit_Gets429_WhenAClientSendsADifferentApiKeyHeaderPerRequest()
    {
        using var client = await StartApiAsync(new() { ["Api:RateLimit:PermitsPerSecond"] = "1", ["Api:RateLimit:Burst"] = "2" });
        var image = TestPaths.ImageBytes("dog.jpg");

        // No keys are configured, so a made-up key authenticates nothing: all eight share this address's bucket.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/detect/object/image", UriKind.Relative))
            {
                Content = FaceObjectClient.FileContent(image, "image.jpg"),
            };
            request.Headers.Add("X-Api-Key", $"made-up-{i}");
            return client.Http.SendAsync(request);
        }));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        statuses.Should().Contain(HttpStatusCode.TooManyRequests, string.Join(",", statuses));
        statuses.Count(s => s == HttpStatusCode.Accepted).Should().BeInRange(2, 7, string.Join(",", statuses));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Submit_Gets429_WhenTheQueueIsAtItsBound()
    {
        using var client = await StartApiAsync(new() { ["Api:MaxQueuedPerQueue"] = "2" });
        var image = TestPaths.ImageBytes("dog.jpg");
        await client.SubmitImageExpectingAcceptedAsync("object", image);
        await client.SubmitImageExpectingAcceptedAsync("object", image);
        await Task.Delay(600); // the depth is cached for half a second

        using var response = await client.SubmitImageAsync("object", image);

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("MaxQueuedPerQueue");
        (await client.SubmitImageAsync("face", image)).StatusCode.Should().Be(HttpStatusCode.Accepted, "other queues are not affected");
    }

    [Fact]
    public async Task Dashboard_IsClosed_WhenALocalProxyRelaysARemoteClient()
    {
        using var client = await StartApiAsync([]);

        using var direct = Request("/hangfire", _ => { });
        using var relayed = Request("/hangfire", r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"));

        (await client.Http.SendAsync(direct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Http.SendAsync(relayed)).StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Dashboard_AcceptsAnApiKey_WhenCredentialsAndKeysAreConfigured()
    {
        using var client = await StartApiAsync(new()
        {
            ["Dashboard:Username"] = "ops", ["Dashboard:Password"] = "pw", ["Api:Keys:0"] = "alpha",
        });

        using var withKey = Request("/hangfire", r => r.Headers.Add("X-Api-Key", "alpha"));
        using var relayedWithoutCredentials = Request("/hangfire", r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"));

        (await client.Http.SendAsync(withKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Http.SendAsync(relayedWithoutCredentials)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _redis.Dispose();
    }

    private static HttpRequestMessage Request(string path, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure(request);
        return request;
    }

    private Task<FaceObjectClient> StartApiAsync(Dictionary<string, string?> settings) =>
        ApiOnRedis.StartAsync(_redis, settings, _processes);
}
