using System.ComponentModel.DataAnnotations;

namespace FaceObject.Api;

/// <summary><c>Api:*</c>: what the HTTP front accepts.</summary>
internal sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest accepted image upload, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Largest accepted image, in pixels (width x height from the header, checked before decoding).</summary>
    [Range(1, long.MaxValue)]
    public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>Largest accepted video upload, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxVideoBytes { get; set; } = 200 * 1024 * 1024;

    /// <summary>The most frames a client may ask one video task to sample (<c>max_frames</c>); bounds worker time and result size.</summary>
    [Range(1, 1_000_000)]
    public int MaxVideoFrames { get; set; } = 10_000;

    /// <summary>Most files in one batch.</summary>
    [Range(1, 10_000)]
    public int MaxBatchFiles { get; set; } = 100;

    /// <summary>Largest batch request body, in bytes (each file also keeps to <see cref="MaxImageBytes"/>).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBatchBytes { get; set; } = 200 * 1024 * 1024;

    /// <summary>The largest body any endpoint accepts: the server-wide limit; each endpoint lowers it to its own.</summary>
    public long LargestBody => Math.Max(MaxImageBytes, Math.Max(MaxVideoBytes, MaxBatchBytes));

    /// <summary>API keys; when any is set, every <c>/api/*</c> call needs one (<c>X-Api-Key</c> or <c>Authorization: Bearer</c>).</summary>
    public IList<string> Keys { get; } = [];

    /// <summary>Whether <c>/metrics</c> needs a key too (when keys are set); off so Prometheus can scrape inside the cluster.</summary>
    public bool MetricsRequireKey { get; set; }

    /// <summary>
    /// Back-pressure: a submit to a queue holding this many waiting jobs answers 429 instead of growing Redis
    /// without bound.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxQueuedPerQueue { get; set; } = 10_000;

    public RateLimitOptions RateLimit { get; set; } = new();

    public SeedRouteOptions SeedRoutes { get; set; } = new();
}

/// <summary>
/// <c>Api:SeedRoutes:*</c>: seed 001's routes (<c>/upload</c>, <c>/status/{job_id}</c>, ...) for clients migrating from
/// the Python service. On by default: they only adapt the <c>/api</c> handlers, behind the same keys and rate limit,
/// so they open nothing new; turn them off when nothing calls them.
/// </summary>
internal sealed class SeedRouteOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The model <c>/upload</c> and <c>/batch-upload</c> submit to (the seed's routes name none): the object detector.</summary>
    public string Model { get; set; } = "object";
}

/// <summary><c>Api:RateLimit:*</c>: a token bucket per client (API key, else address) on the submit endpoints.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Submits per second each client may sustain; 0 turns rate limiting off.</summary>
    [Range(0, 100_000)]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>How many submits a client may make at once after being idle.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}
