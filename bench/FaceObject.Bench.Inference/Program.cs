using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FaceObject.Core.Models;
using FaceObject.Inference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Usage: FaceObject.Bench.Inference [--models DIR] [--images DIR] [--seconds 5] [--threads 1,2] [--only object,face640] [--out result.json]
//          [--device cpu|cuda] [--batches 1,8,32,64] [--max-batch 4,8] [--dynamic-models DIR]
//   --device cuda: every session on CUDA, and a load that cannot start CUDA ends the run (exit 3).
//   --batches: also "run_batch_B", one Run of B images of the .dynamic.onnx copy (per_s counts images).
//   --max-batch: also "batched_M", full detection through a batching detector (MaxBatch M) with the same callers.
//   --dynamic-models: where the .dynamic.onnx copies are (default: the repository's models/, scripts/fetch-models.sh).
var options = BenchArguments.Parse(args);
var images = Directory.GetFiles(options.Images, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
if (images.Length == 0)
{
    Console.Error.WriteLine($"No .jpg images in {options.Images}.");
    return 2;
}

BenchModel[] models =
[
    new("object", "yolox", "yolox_nano.onnx", "coco.names"),
    new("face640", "ultraface", "version-RFB-640.onnx", null),
    new("face320", "ultraface", "version-RFB-320.onnx", null),
];

var factory = new DetectorFactory(NullLoggerFactory.Instance);
var results = new List<BenchResult>();
Console.WriteLine($"cores={Environment.ProcessorCount} images={images.Length} seconds/case={options.Seconds}");
Console.WriteLine($"{"model",-8} {"case",-16} {"threads",7} {"per_s",9} {"p50_ms",8} {"p95_ms",8}");
foreach (var model in models.Where(m => options.Only.Count == 0 || options.Only.Contains(m.Key)))
{
    var modelOptions = new ModelOptions
    {
        Type = model.Type,
        Path = Path.Combine(options.Models, model.File),
        Labels = model.Labels is null ? null : Path.Combine(options.Models, model.Labels),
        Device = options.Device,
        IntraOpThreads = options.Device == "cuda" ? 0 : 1,
    };
    IObjectDetector detector;
    try
    {
        detector = factory.Create(model.Key, modelOptions);
    }
    catch (ModelLoadException e)
    {
        Console.Error.WriteLine(e.Message);
        return 3;
    }

    using var owned = detector;
    Console.WriteLine($"{model.Key}: {detector.Info.Device}");
    using var session = RunAlone.CreateSession(modelOptions.Path, options.Device);
    var dynamicPath = Path.Combine(options.DynamicModels, Path.GetFileNameWithoutExtension(model.File) + ".dynamic.onnx");
    foreach (var threads in options.Threads)
    {
        var full = Harness.Measure(threads, options.Seconds, i =>
        {
            using var image = ImageDecoder.Decode(images[i % images.Length]);
            detector.Detect(image);
        });
        Report(model.Key, "full_detection", threads, full);
        var run = Harness.Measure(threads, options.Seconds, _ => RunAlone.Once(session));
        Report(model.Key, "run_alone", threads, run);
        foreach (var maxBatch in options.MaxBatches)
        {
            // IntraOpThreads 0: the factory gives a batching session every core (one batch runs at a time).
            using var batching = factory.Create(model.Key, new ModelOptions
            {
                Type = model.Type,
                Path = dynamicPath,
                Labels = modelOptions.Labels,
                Device = options.Device,
                MaxBatch = maxBatch,
                MaxDelayMicroseconds = options.MaxDelayMicroseconds,
            });
            var batched = Harness.Measure(threads, options.Seconds, i =>
            {
                using var image = ImageDecoder.Decode(images[i % images.Length]);
                batching.Detect(image);
            });
            Report(model.Key, $"batched_{maxBatch}", threads, batched);
        }
    }

    if (options.Batches.Count > 0)
    {
        using var dynamicSession = RunAlone.CreateSession(dynamicPath, options.Device, intraOpThreads: 0);
        foreach (var batch in options.Batches)
        {
            var runs = Harness.Measure(1, options.Seconds, _ => RunAlone.Once(dynamicSession, batch));
            Report(model.Key, $"run_batch_{batch}", 1, runs with { PerSecond = runs.PerSecond * batch });
        }
    }
}

if (options.Out is { } outPath)
{
    File.WriteAllText(outPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
}

return 0;

void Report(string model, string name, int threads, Measurement m)
{
    results.Add(new BenchResult(model, name, threads, m.PerSecond, m.P50Ms, m.P95Ms));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model,-8} {name,-16} {threads,7} {m.PerSecond,9:F1} {m.P50Ms,8:F2} {m.P95Ms,8:F2}"));
}

internal sealed record BenchModel(string Key, string Type, string File, string? Labels);

internal sealed record BenchResult(string Model, string Case, int Threads, double PerSecond, double P50Ms, double P95Ms);

internal sealed record Measurement(double PerSecond, double P50Ms, double P95Ms);

/// <summary>Runs an action on N threads for a fixed time after a warm-up; throughput over all threads, latency per call.</summary>
internal static class Harness
{
    public static Measurement Measure(int threads, double seconds, Action<int> action)
    {
        for (var i = 0; i < 10; i++)
        {
            action(i);
        }

        var latencies = new List<double>[threads];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var mine = latencies[t] = new List<double>(4096);
            for (var i = t; Stopwatch.GetTimestamp() < deadline; i += threads)
            {
                var begin = Stopwatch.GetTimestamp();
                action(i);
                mine.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Measurement(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.95));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
}

/// <summary>ONNX Runtime's Run on a zero tensor of the model's input shape, with the service's session settings.</summary>
internal static class RunAlone
{
    public static InferenceSession CreateSession(string path, string device, int intraOpThreads = 1)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (device == "cuda")
        {
            options.AppendExecutionProvider_CUDA(0);
        }

        return new InferenceSession(path, options);
    }

    /// <summary>One Run on zeros; a dynamic batch dimension takes <paramref name="batch"/>, other dynamic ones 1.</summary>
    public static void Once(InferenceSession session, int batch = 1)
    {
        var (name, meta) = session.InputMetadata.First();
        var shape = meta.Dimensions.Select((d, i) => d > 0 ? d : i == 0 ? batch : 1).ToArray();
        var input = new DenseTensor<float>(shape);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(name, input)]);
    }
}

internal sealed record BenchArguments(string Models, string Images, double Seconds, IReadOnlyList<int> Threads, IReadOnlySet<string> Only, string? Out)
{
    public string Device { get; init; } = "cpu";

    public string DynamicModels { get; init; } = "";

    public IReadOnlyList<int> Batches { get; init; } = [];

    public IReadOnlyList<int> MaxBatches { get; init; } = [];

    public int MaxDelayMicroseconds { get; init; } = 2000;

    public static BenchArguments Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var root = FindRoot();
        return new BenchArguments(
            Value("--models") ?? Path.Combine(root, "..", "shared", "models"),
            Value("--images") ?? Path.Combine(root, "..", "shared", "testdata", "images"),
            double.Parse(Value("--seconds") ?? "5", CultureInfo.InvariantCulture),
            (Value("--threads") ?? $"1,{Environment.ProcessorCount}").Split(',').Select(int.Parse).Distinct().ToList(),
            (Value("--only") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
            Value("--out"))
        {
            Device = Value("--device") ?? "cpu",
            DynamicModels = Value("--dynamic-models") ?? Path.Combine(root, "models"),
            Batches = Numbers(Value("--batches")),
            MaxBatches = Numbers(Value("--max-batch")),
            MaxDelayMicroseconds = int.Parse(Value("--max-delay-us") ?? "2000", CultureInfo.InvariantCulture),
        };
    }

    private static List<int> Numbers(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceObject.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
