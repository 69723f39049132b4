namespace FaceObject.Inference.Video;

/// <summary>What the container says about the video stream.</summary>
/// <param name="Width">Frame width in pixels.</param>
/// <param name="Height">Frame height in pixels.</param>
/// <param name="Fps">Average frames per second; 0 when the container does not say.</param>
/// <param name="FrameCount">Frames in the stream as the container estimates it; null when unknown.</param>
public sealed record VideoStreamInfo(int Width, int Height, double Fps, int? FrameCount)
{
    /// <summary>Length in seconds (frame count / fps); null when either is unknown.</summary>
    public double? DurationSeconds => FrameCount is { } count && Fps > 0 ? count / Fps : null;
}
