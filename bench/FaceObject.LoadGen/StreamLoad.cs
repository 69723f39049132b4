using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceObject.LoadGen;

/// <summary>
/// The <c>streams</c> mode: N WebSocket clients on <c>/ws</c>, one per camera stream, each subscribing to its own URL
/// (<c>RTSP?stream=i</c>: a different source for the server, the same clip for the RTSP server). Once every stream
/// has delivered a detection and the warm-up has passed, a window of <c>--seconds</c> is measured:
/// <list type="bullet">
/// <item>processed fps per stream: the <c>imageDetection</c> messages received in the window per second;</item>
/// <item>camera fps and skipped frames per stream, from the frame sequence numbers the messages carry: the reader
/// numbers every frame it receives, so a gap between two detected frames is frames dropped for a newer one;</item>
/// <item>latency: a frame's capture time (<c>payload.timestamp</c>, when the server had the decoded frame) to the
/// message's receipt here, on the same clock; lag trend = p95 of the window's last third minus its first third;</item>
/// <item>CPU over the window, in % of one core: the host process, its ffmpeg children (decode), the other processes
/// given (the RTSP server), and this client.</item>
/// </list>
/// </summary>
internal static class StreamLoad
{
    private static readonly TimeSpan FirstDetectionTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(StreamLoadArguments options)
    {
        var clients = Enumerable.Range(1, options.Streams).Select(i => new StreamClient(i, options)).ToArray();
        try
        {
            await Task.WhenAll(clients.Select(c => c.ConnectAsync()));
            if (await WaitForFirstDetectionsAsync(clients) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 1;
            }

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
            var cpuBefore = CpuSample.Take(options.HostPid, options.OtherPids);
            var from = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
            var to = DateTimeOffset.UtcNow;
            var cpuAfter = CpuSample.Take(options.HostPid, options.OtherPids);
            var streams = await ListStreamsAsync(options.Server);

            var report = Report(options, clients, from, to, cpuAfter.Minus(cpuBefore), streams);
            var text = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            Console.WriteLine(text);
            if (options.Out is { } path)
            {
                await File.WriteAllTextAsync(path, text);
            }

            return clients.Any(c => c.Error is not null) ? 1 : 0;
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Null once every stream delivered a detection; otherwise what went wrong.</summary>
    private static async Task<string?> WaitForFirstDetectionsAsync(StreamClient[] clients)
    {
        var started = Stopwatch.GetTimestamp();
        while (clients.Any(c => c.Received == 0))
        {
            if (clients.FirstOrDefault(c => c.Error is not null) is { } failed)
            {
                return $"stream {failed.Index}: {failed.Error}";
            }

            if (Stopwatch.GetElapsedTime(started) > FirstDetectionTimeout)
            {
                return $"{clients.Count(c => c.Received == 0)} of {clients.Length} streams delivered no detection within {FirstDetectionTimeout.TotalSeconds} s";
            }

            await Task.Delay(200);
        }

        return null;
    }

    private static async Task<JsonArray> ListStreamsAsync(string server)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetFromJsonAsync<JsonArray>(new Uri("/api/streams", UriKind.Relative)) ?? [];
    }

    private static JsonObject Report(StreamLoadArguments options, StreamClient[] clients, DateTimeOffset from, DateTimeOffset to, CpuSample cpu, JsonArray streams)
    {
        var seconds = (to - from).TotalSeconds;
        var windows = clients.Select(c => c.Between(from, to)).ToArray();
        var processed = windows.Select(w => w.Length / seconds).ToArray();
        var perStream = windows.Where(w => w.Length >= 2).Select(w => (
            Camera: (w[^1].Frame - w[0].Frame) / (w[^1].CapturedAt - w[0].CapturedAt).TotalSeconds,
            Skipped: (w[^1].Frame - w[0].Frame - (w.Length - 1)) / (w[^1].CapturedAt - w[0].CapturedAt).TotalSeconds)).ToArray();
        var all = windows.SelectMany(w => w).ToArray();
        var third = (to - from) / 3;
        var first = Percentiles(all.Where(r => r.ReceivedAt < from + third).Select(r => r.LatencyMs));
        var last = Percentiles(all.Where(r => r.ReceivedAt >= to - third).Select(r => r.LatencyMs));
        double Percent(TimeSpan used) => Math.Round(used.TotalSeconds / seconds * 100, 1);
        static double Round(double value) => Math.Round(value, 2);
        return new JsonObject
        {
            ["streams"] = options.Streams,
            ["model"] = options.Model,
            ["fps"] = options.Fps,
            ["seconds"] = Round(seconds),
            ["warmup_seconds"] = options.WarmupSeconds,
            ["processed_fps"] = new JsonObject
            {
                ["mean"] = Round(processed.DefaultIfEmpty().Average()),
                ["min"] = Round(processed.DefaultIfEmpty().Min()),
            },
            ["camera_fps_mean"] = Round(perStream.Select(s => s.Camera).DefaultIfEmpty().Average()),
            ["skipped_fps_mean"] = Round(perStream.Select(s => s.Skipped).DefaultIfEmpty().Average()),
            ["latency_ms"] = Percentiles(all.Select(r => r.LatencyMs)),
            ["latency_ms_first_third"] = first,
            ["latency_ms_last_third"] = last,
            ["lag_trend_p95_ms"] = Round(last["p95"]!.GetValue<double>() - first["p95"]!.GetValue<double>()),
            ["cpu_percent_of_one_core"] = new JsonObject
            {
                ["host"] = Percent(cpu.Host),
                ["ffmpeg"] = Percent(cpu.Ffmpeg),
                ["others"] = Percent(cpu.Others),
                ["loadgen"] = Percent(cpu.Self),
            },
            ["ffmpeg_processes"] = cpu.FfmpegProcesses,
            ["not_live"] = streams.Count(s => s?["status"]?["state"]?.GetValue<string>() is not "live"),
            ["reconnects"] = streams.Sum(s => s?["status"]?["reconnects"]?.GetValue<long>() ?? 0),
            ["errors"] = new JsonArray([.. clients.Where(c => c.Error is not null).Select(c => JsonValue.Create($"stream {c.Index}: {c.Error}"))]),
        };
    }

    private static JsonObject Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)], 1);
        return new JsonObject { ["count"] = sorted.Length, ["p50"] = At(0.50), ["p95"] = At(0.95), ["p99"] = At(0.99) };
    }
}

/// <param name="Rtsp">The RTSP mount every stream reads, e.g. <c>rtsp://127.0.0.1:8554/cam</c>; stream i adds <c>?stream=i</c>.</param>
/// <param name="HostPid">The server process: its CPU, and its ffmpeg children's, are measured.</param>
/// <param name="OtherPids">Further processes whose CPU is reported together (the RTSP server).</param>
internal sealed record StreamLoadArguments(
    string Server, string Rtsp, int Streams, string Model, double Fps, double WarmupSeconds, double Seconds, int HostPid, IReadOnlyList<int> OtherPids, string? ApiKey, string? Out)
{
    public static StreamLoadArguments Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new StreamLoadArguments(
            Value("--server") ?? "http://127.0.0.1:8080",
            Value("--rtsp") ?? throw new ArgumentException("--rtsp rtsp://127.0.0.1:PORT/MOUNT is required."),
            int.Parse(Value("--streams") ?? "1", CultureInfo.InvariantCulture),
            Value("--model") ?? "object",
            double.Parse(Value("--fps") ?? "5", CultureInfo.InvariantCulture),
            double.Parse(Value("--warmup") ?? "10", CultureInfo.InvariantCulture),
            double.Parse(Value("--seconds") ?? "60", CultureInfo.InvariantCulture),
            int.Parse(Value("--host-pid") ?? throw new ArgumentException("--host-pid PID (the server process) is required."), CultureInfo.InvariantCulture),
            [.. (Value("--other-pids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))],
            Value("--api-key") ?? Environment.GetEnvironmentVariable("FACEOBJECT_API_KEY"),
            Value("--out"));
    }
}
