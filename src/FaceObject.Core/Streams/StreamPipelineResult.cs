using System.Text.Json;

namespace FaceObject.Core.Streams;

/// <summary>
/// The end of the pipeline run a stream started for one stable track: its task, the track, how it ended and the
/// run's result document (docs/pipelines.md), or its error.
/// </summary>
public sealed record StreamPipelineResult(string TaskId, string Pipeline, int TrackId, string? SessionId, string Status, JsonElement? Result, string? Error);
