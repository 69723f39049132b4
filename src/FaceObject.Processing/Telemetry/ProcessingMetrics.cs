using Prometheus;

namespace FaceObject.Processing.Telemetry;

/// <summary>Prometheus metrics of a processing host; names are documented in docs/operations.md and used by the alert rules.</summary>
internal static class ProcessingMetrics
{
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.002, 2, 16);

    public static readonly Counter Completed = Metrics.CreateCounter(
        "faceobject_tasks_completed_total", "Tasks that completed with a result.", "model");

    public static readonly Counter Failed = Metrics.CreateCounter(
        "faceobject_tasks_failed_total", "Tasks that ended failed.", "model");

    public static readonly Histogram QueueWait = Metrics.CreateHistogram(
        "faceobject_queue_wait_seconds", "Time from submit to a worker starting the task.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = LatencyBuckets });

    public static readonly Histogram Inference = Metrics.CreateHistogram(
        "faceobject_inference_seconds", "Worker time per task: fetch, decode, pre-process, run, post-process.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = LatencyBuckets });

    public static readonly Histogram EndToEnd = Metrics.CreateHistogram(
        "faceobject_end_to_end_seconds", "Time from submit to the stored result.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = LatencyBuckets });

    public static readonly Gauge ModelInfo = Metrics.CreateGauge(
        "faceobject_model_info", "1 for each model this process has loaded, with the execution provider it really uses.",
        "model", "type", "device");
}
