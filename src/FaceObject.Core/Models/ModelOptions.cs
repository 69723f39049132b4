using System.ComponentModel.DataAnnotations;

namespace FaceObject.Core.Models;

/// <summary>One entry under <c>Models:{key}</c>. The key is also the Hangfire queue name unless <see cref="Queue"/> says otherwise.</summary>
public sealed class ModelOptions
{
    /// <summary>Detectors: <c>ultraface</c>, <c>yolox</c>, <c>ultralytics</c> or <c>rtdetr</c>; image classifiers: <c>classifier</c>.</summary>
    [Required]
    public string Type { get; set; } = "";

    /// <summary>The ONNX file; relative paths resolve against the working directory, then the application's ancestors.</summary>
    [Required]
    public string Path { get; set; } = "";

    /// <summary>Class names, one a line, index = class id; used when the model does not name its classes in its ONNX metadata <c>names</c>.</summary>
    public string? Labels { get; set; }

    /// <summary>
    /// Classifiers with several outputs: a labels file per output name (<c>HeadLabels:color</c>). An output without
    /// one is a class head only if it is the sole output and <see cref="Labels"/> is set; a one-number output without
    /// labels is a value head (e.g. age).
    /// </summary>
    public Dictionary<string, string> HeadLabels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Classifiers: three values subtracted from the B, G and R planes (0..255 scale), e.g. 104, 117, 123 for SqueezeNet; none by default.</summary>
    public float[]? Mean { get; set; }

    /// <summary>Classifiers: how many classes each head returns, best first.</summary>
    [Range(1, 1000)]
    public int TopK { get; set; } = 5;

    /// <summary>Hangfire queue; defaults to the model key.</summary>
    public string? Queue { get; set; }

    /// <summary>Detectors: the default minimum confidence. Not used by classifiers, which return their top classes.</summary>
    [Range(0.0, 1.0)]
    public float? ScoreThreshold { get; set; }

    [Range(0.0, 1.0)]
    public float? NmsThreshold { get; set; }

    /// <summary><c>auto</c> (CUDA if it starts, else CPU with a warning), <c>cpu</c> or <c>cuda</c>; any case, empty means <c>auto</c>.</summary>
    [AllowedNames("auto", "cpu", "cuda")]
    public string Device { get; set; } = "auto";

    /// <summary>Input width in pixels when the file leaves it dynamic; must agree with the file when it fixes it.</summary>
    public int? InputWidth { get; set; }

    /// <summary>Input height in pixels when the file leaves it dynamic; must agree with the file when it fixes it.</summary>
    public int? InputHeight { get; set; }

    /// <summary>
    /// ONNX Runtime intra-op threads per session. 0 derives it so that worker threads x intra-op threads does not
    /// exceed the core count by much: cores / <c>Worker:WorkerCount</c>, at least 1 (so 1 with the default of two
    /// worker threads per core, and all cores for a worker with one thread).
    /// </summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Most images one inference runs at once: concurrent jobs of this model hand their pre-processed images to one
    /// batcher, which runs them together. 1 (the default) runs each image alone. Above 1 the file's batch
    /// dimension must be dynamic (the <c>.dynamic.onnx</c> copies that scripts/fetch-models.sh writes).
    /// </summary>
    [Range(1, 256)]
    public int MaxBatch { get; set; } = 1;

    /// <summary>How long, in microseconds, the batcher waits for more images after the first before it runs a batch that is not full.</summary>
    [Range(0, 1_000_000)]
    public int MaxDelayMicroseconds { get; set; } = 2000;
}
