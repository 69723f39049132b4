namespace FaceObject.Core.Results;

/// <summary>One class of a classifier head with its probability, 0 to 1.</summary>
public sealed record ClassScore(int ClassId, string ClassName, float Score);
