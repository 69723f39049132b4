using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceObject.LoadGen;

// Usage: FaceObject.LoadGen --server http://127.0.0.1:8080 --model object [--images DIR] [--concurrency 16]
//        [--seconds 30 | --count N] [--poll-ms 20 | --long-poll] [--drain-seconds 30] [--api-key K] [--out result.json]
//    or: FaceObject.LoadGen streams --server URL --rtsp rtsp://127.0.0.1:PORT/MOUNT --host-pid PID [--streams 1]
//        [--model object] [--fps 5] [--warmup 10] [--seconds 60] [--other-pids P,Q] [--api-key K] [--out result.json]
//        (live streams over the WebSocket: see StreamLoad)
if (args.FirstOrDefault() == "streams")
{
    return await StreamLoad.RunAsync(StreamLoadArguments.Parse(args[1..]));
}

var options = LoadArguments.Parse(args);
var images = Directory.GetFiles(options.Images)
    .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
    .Order(StringComparer.Ordinal)
    .Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f)))
    .ToArray();
if (images.Length == 0)
{
    Console.Error.WriteLine($"No images in {options.Images}.");
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = new Uri(options.Server),
    Timeout = TimeSpan.FromSeconds(60),
};
if (options.ApiKey is { } key)
{
    http.DefaultRequestHeaders.Add("X-Api-Key", key);
}

var submitLatencies = new ConcurrentBag<double>();
var endToEnd = new ConcurrentBag<double>();
var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
var pending = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
var submitted = 0;
var started = Stopwatch.GetTimestamp();
var submitUntil = started + (long)(options.Seconds * Stopwatch.Frequency);
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;

await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(RunClientAsync));
var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

var completed = outcomes.GetValueOrDefault("completed");
var report = new JsonObject
{
    ["model"] = options.Model,
    ["concurrency"] = options.Concurrency,
    ["poll"] = options.LongPoll ? "long-poll" : $"{options.PollMs} ms",
    ["submitted"] = submitted,
    ["completed"] = completed,
    ["failed"] = outcomes.GetValueOrDefault("failed"),
    ["rejected"] = outcomes.GetValueOrDefault("rejected"),
    ["lost"] = pending.Count,
    ["seconds"] = Math.Round(elapsed, 2),
    ["throughput_per_s"] = Math.Round(completed / elapsed, 2),
    ["submit_ms"] = Percentiles(submitLatencies),
    ["end_to_end_ms"] = Percentiles(endToEnd),
    ["loadgen_cpu_seconds"] = Math.Round(cpuSeconds, 2),
};
var text = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(text);
if (options.Out is { } outPath)
{
    await File.WriteAllTextAsync(outPath, text);
}

return pending.IsEmpty ? 0 : 1;

async Task RunClientAsync(int client)
{
    for (var i = client; ; i += options.Concurrency)
    {
        if (options.Count is { } count ? Interlocked.Increment(ref submitted) > count : Stopwatch.GetTimestamp() >= submitUntil)
        {
            if (options.Count is not null)
            {
                Interlocked.Decrement(ref submitted);
            }

            return;
        }

        if (options.Count is null)
        {
            Interlocked.Increment(ref submitted);
        }

        var image = images[i % images.Length];
        var begin = Stopwatch.GetTimestamp();
        var taskId = await SubmitAsync(image.Name, image.Bytes);
        submitLatencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
        if (taskId is null)
        {
            outcomes.AddOrUpdate("rejected", 1, (_, n) => n + 1);
            continue;
        }

        pending[taskId] = begin;
        var status = await FollowAsync(taskId);
        if (status is not null)
        {
            pending.TryRemove(taskId, out _);
            endToEnd.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            outcomes.AddOrUpdate(status, 1, (_, n) => n + 1);
        }
    }
}

async Task<string?> SubmitAsync(string name, byte[] bytes)
{
    using var file = new ByteArrayContent(bytes);
    file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
    using var form = new MultipartFormDataContent { { file, "file", name } };
    using var response = await http.PostAsync(new Uri($"/api/detect/{options.Model}/image", UriKind.Relative), form);
    if (response.StatusCode != HttpStatusCode.Accepted)
    {
        return null;
    }

    var body = await response.Content.ReadFromJsonAsync<JsonObject>();
    return body!["task_id"]!.GetValue<string>();
}

/// <summary>Polls (or long-polls) until the task ends; null when the drain deadline passes first (counted as lost).</summary>
async Task<string?> FollowAsync(string taskId)
{
    var deadline = Stopwatch.GetTimestamp() + (long)((options.Seconds + options.DrainSeconds) * Stopwatch.Frequency);
    var path = options.LongPoll ? $"/api/task/{taskId}?wait=10s" : $"/api/task/{taskId}";
    while (Stopwatch.GetTimestamp() < deadline)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        if (response.IsSuccessStatusCode)
        {
            var status = (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>();
            if (status is "completed" or "failed" or "cancelled")
            {
                return status;
            }
        }

        if (!options.LongPoll)
        {
            await Task.Delay(options.PollMs);
        }
    }

    return null;
}

static JsonObject Percentiles(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    double At(double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)], 2);
    return new JsonObject { ["p50"] = At(0.50), ["p95"] = At(0.95), ["p99"] = At(0.99) };
}

internal sealed record LoadArguments(
    string Server, string Model, string Images, int Concurrency, double Seconds, int? Count, int PollMs, bool LongPoll, double DrainSeconds, string? ApiKey, string? Out)
{
    public static LoadArguments Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var count = Value("--count") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : (int?)null;
        return new LoadArguments(
            Value("--server") ?? "http://127.0.0.1:8080",
            Value("--model") ?? "object",
            Value("--images") ?? Path.Combine("..", "shared", "testdata", "images"),
            int.Parse(Value("--concurrency") ?? "16", CultureInfo.InvariantCulture),
            count is null ? double.Parse(Value("--seconds") ?? "30", CultureInfo.InvariantCulture) : 3600,
            count,
            int.Parse(Value("--poll-ms") ?? "20", CultureInfo.InvariantCulture),
            args.Contains("--long-poll"),
            double.Parse(Value("--drain-seconds") ?? "30", CultureInfo.InvariantCulture),
            Value("--api-key") ?? Environment.GetEnvironmentVariable("FACEOBJECT_API_KEY"),
            Value("--out"));
    }
}
