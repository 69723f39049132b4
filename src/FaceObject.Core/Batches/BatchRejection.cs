namespace FaceObject.Core.Batches;

/// <summary>A file of a batch that was refused: the HTTP status it would have got alone and why.</summary>
public sealed record BatchRejection(string? Filename, int Status, string Detail);
