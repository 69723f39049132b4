namespace FaceObject.Core.Tasks;

/// <summary>How video frames are sampled when the client does not say, and the bounds it may ask for.</summary>
public static class VideoSampling
{
    /// <summary>Frames per second of video that are run through the model by default.</summary>
    public const double DefaultSampleFps = 2;

    /// <summary>Above this every frame of a common video is sampled anyway.</summary>
    public const double MaxSampleFps = 30;

    /// <summary>Sampled frames per video by default: 2.5 minutes at the default rate.</summary>
    public const int DefaultMaxFrames = 300;
}
