namespace FaceObject.Core.Batches;

/// <summary>An accepted file of a batch and the task made for it. The file name is the client's, for display only.</summary>
public sealed record BatchEntry(string TaskId, string? Filename);
