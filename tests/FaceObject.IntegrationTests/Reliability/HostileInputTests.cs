using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FaceObject.Testing;
using Xunit.Abstractions;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// Broken and hostile uploads against the real API and real workers (rate limit off). Every one gets a 4xx
/// problem+json saying what is wrong, or a task that ends (completed, or failed with a reason): never a 500, and
/// afterwards the workers are alive and a valid task still completes.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture fixture, ITestOutputHelper output) : IClassFixture<HostileInputFixture>
{
    private const int Mutations = 1_000;
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Each case and the statuses that fit it (a JPEG sent as a JSON body is a JSON body too large, or not JSON).</summary>
    public static TheoryData<string, int[]> Refused => new()
    {
        { "empty upload", [400] },
        { "random bytes", [415] },
        { "JPEG with a corrupt header", [422] },
        { "PNG claiming 100000x100000", [413] },
        { "one byte over Api:MaxImageBytes", [413] },
        { "animated GIF", [415] },
        { "text file named .jpg", [415] },
        { "multipart without 'file'", [400] },
        { "10 MB text form field", [400] },
        { "JPEG as an application/json body", [400, 413, 415] },
        { "raw JPEG body without multipart", [415] },
    };

    public static TheoryData<string> Accepted => new()
    {
        "truncated JPEG",
        "JPEG labelled image/png",
        "JPEG labelled text/plain",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Upload_Gets4xxProblemSayingWhy_WhenItCanNeverBeAnImage(string name, int[] statuses)
    {
        using var response = await fixture.Api.Client.Http.PostAsync(new Uri("/api/detect/object/image", UriKind.Relative), Request(name));

        ((int)response.StatusCode).Should().BeOneOf(statuses, await response.Content.ReadAsStringAsync());
        var detail = (await FaceObjectClient.ReadProblemAsync(response))["detail"]?.GetValue<string>();
        detail.Should().NotBeNullOrWhiteSpace().And.NotContain("   at ", "no stack trace");
        output.WriteLine($"{name}: {(int)response.StatusCode} {detail}");
        await fixture.EnsureWorkersHealthyAsync();
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Upload_IsAcceptedAndEnds_WhenItsBytesAreAJpegWhateverItsLabel(string name)
    {
        using var response = await fixture.Api.Client.Http.PostAsync(new Uri("/api/detect/object/image", UriKind.Relative), Request(name));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var taskId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task_id"]!.GetValue<string>();
        var task = await fixture.Api.Client.WaitForEndAsync(taskId, TaskTimeout);
        AssertEndedWithAReason(task);
        if (name != "truncated JPEG")
        {
            task["status"]!.GetValue<string>().Should().Be("completed", "the bytes are sniffed, the label is ignored");
        }

        output.WriteLine($"{name}: {task["status"]} {task["error"]}");
        await fixture.EnsureWorkersHealthyAsync();
    }

    [Fact]
    public async Task PathLikeFileName_IsAcceptedAndKeptOnlyAsADisplayName()
    {
        var names = new[] { "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/shadow", "a/../../../tmp/x.jpg", "..", new string('a', 5000) + ".jpg" };
        foreach (var name in names)
        {
            var taskId = await fixture.Api.Client.SubmitImageExpectingAcceptedAsync("object", HostileCorpus.ValidJpeg, name);
            var task = await fixture.Api.Client.WaitForEndAsync(taskId, TaskTimeout);

            task["status"]!.GetValue<string>().Should().Be("completed");
            var shown = task["file_name"]?.GetValue<string>() ?? "";
            shown.Should().NotContain("/").And.NotContain("\\").And.NotContain("..");
            shown.Length.Should().BeLessThanOrEqualTo(200);
        }

        File.Exists("/tmp/x.jpg").Should().BeFalse();
    }

    [Fact]
    public async Task RandomMutationsOfAValidJpeg_NeverGet500_AndEveryAcceptedOneEnds()
    {
        var random = new Random(20261123);
        var corpus = Enumerable.Range(0, Mutations).Select(_ => HostileCorpus.Mutate(HostileCorpus.ValidJpeg, random)).ToList();
        var statuses = new int[Mutations];
        var taskIds = new string?[Mutations];
        using var gate = new SemaphoreSlim(8);

        await Task.WhenAll(corpus.Select(async (bytes, i) =>
        {
            await gate.WaitAsync();
            try
            {
                var model = i % 2 == 0 ? "object" : "face";
                using var response = await fixture.Api.Client.SubmitImageAsync(model, bytes, $"mutation-{i}.jpg");
                statuses[i] = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    taskIds[i] = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task_id"]!.GetValue<string>();
                }
                else
                {
                    await FaceObjectClient.ReadProblemAsync(response);
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        statuses.Should().OnlyContain(s => s == 202 || (s >= 400 && s < 500), "a mutation is refused with a 4xx or accepted, never a 5xx");
        var ends = new List<string>();
        foreach (var taskId in taskIds.OfType<string>())
        {
            var task = await fixture.Api.Client.WaitForEndAsync(taskId, TaskTimeout);
            AssertEndedWithAReason(task);
            ends.Add(task["status"]!.GetValue<string>());
        }

        output.WriteLine($"{Mutations} mutations: " + string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"))
            + "; accepted tasks: " + string.Join(", ", ends.GroupBy(s => s).Select(g => $"{g.Key} x{g.Count()}")));
        await fixture.EnsureWorkersHealthyAsync();
    }

    private static void AssertEndedWithAReason(JsonObject task)
    {
        var status = task["status"]!.GetValue<string>();
        status.Should().BeOneOf(["completed", "failed"], task.ToJsonString());
        task["attempts"]!.GetValue<int>().Should().Be(1, "bad input is never retried");
        if (status == "failed")
        {
            task["error"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        }
    }

    private static HttpContent Request(string name) => name switch
    {
        "empty upload" => FaceObjectClient.FileContent([], "empty.jpg"),
        "random bytes" => FaceObjectClient.FileContent(HostileCorpus.RandomBytes(64 * 1024, seed: 1), "noise.jpg"),
        "truncated JPEG" => FaceObjectClient.FileContent(HostileCorpus.TruncatedJpeg(), "truncated.jpg"),
        "JPEG with a corrupt header" => FaceObjectClient.FileContent(HostileCorpus.CorruptHeaderJpeg(), "corrupt-header.jpg"),
        "PNG claiming 100000x100000" => FaceObjectClient.FileContent(HostileCorpus.PngClaiming(100_000, 100_000), "huge.png", "image/png"),
        "one byte over Api:MaxImageBytes" => FaceObjectClient.FileContent(OverTheLimit(), "big.jpg"),
        "animated GIF" => FaceObjectClient.FileContent(HostileCorpus.AnimatedGif(), "animated.gif", "image/gif"),
        "text file named .jpg" => FaceObjectClient.FileContent(HostileCorpus.Text(), "photo.jpg"),
        "multipart without 'file'" => new MultipartFormDataContent { { new StringContent("hello"), "note" } },
        "10 MB text form field" => new MultipartFormDataContent
        {
            { new StringContent(new string('x', 10_000_000)), "note" },
            { new ByteArrayContent(HostileCorpus.ValidJpeg), "file", "dog.jpg" },
        },
        "JPEG as an application/json body" => RawBody("application/json"),
        "raw JPEG body without multipart" => RawBody("image/jpeg"),
        "JPEG labelled image/png" => FaceObjectClient.FileContent(HostileCorpus.ValidJpeg, "dog.png", "image/png"),
        "JPEG labelled text/plain" => FaceObjectClient.FileContent(HostileCorpus.ValidJpeg, "dog.txt", "text/plain"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>A JPEG header followed by padding: one byte more than the API's default 20 MiB image limit.</summary>
    private static byte[] OverTheLimit()
    {
        var bytes = new byte[(20 * 1024 * 1024) + 1];
        HostileCorpus.ValidJpeg.AsSpan(0, 1024).CopyTo(bytes);
        return bytes;
    }

    private static ByteArrayContent RawBody(string contentType)
    {
        var content = new ByteArrayContent(HostileCorpus.ValidJpeg);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}

/// <summary>Redis, the API (rate limit off) and one worker per queue, shared by the hostile-input tests.</summary>
public sealed class HostileInputFixture : IAsyncLifetime
{
    private ServiceProcess[] _workers = [];

    internal ServiceCluster Cluster { get; } = new();

    internal ApiHost Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await Cluster.StartApiAsync(new Dictionary<string, string?> { ["Api:RateLimit:PermitsPerSecond"] = "0" });
        _workers = [await Cluster.StartWorkerAsync("object"), await Cluster.StartWorkerAsync("face")];
    }

    /// <summary>Both workers still run and a valid task on each queue still completes.</summary>
    internal async Task EnsureWorkersHealthyAsync()
    {
        foreach (var worker in _workers)
        {
            worker.HasExited.Should().BeFalse(worker.Output);
        }

        foreach (var (model, image) in new[] { ("object", "dog.jpg"), ("face", "faces_2.jpg") })
        {
            var taskId = await Api.Client.SubmitImageExpectingAcceptedAsync(model, TestPaths.ImageBytes(image));
            var task = await Api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(60));
            task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        }
    }

    public Task DisposeAsync()
    {
        Cluster.Dispose();
        return Task.CompletedTask;
    }
}
