namespace FaceObject.Core.Tasks;

/// <summary>A finished task's outcome as the worker reports it.</summary>
/// <param name="ResultJson">The result document (DESIGN.md shape), already serialised.</param>
/// <param name="CompletedAt">UTC time the result was ready.</param>
/// <param name="ProcessingTimeMs">Worker time from fetching the payload to the result.</param>
/// <param name="OutputImageKey">Payload key of the annotated or blurred image, if one was made.</param>
public sealed record TaskCompletion(string ResultJson, DateTimeOffset CompletedAt, double ProcessingTimeMs, string? OutputImageKey = null);
