namespace FaceObject.Core.Results;

/// <summary>The video as the container describes it. Frame count and duration are null when the container does not say.</summary>
public sealed record VideoInfo(int Width, int Height, double Fps, int? FrameCount, double? DurationS);
