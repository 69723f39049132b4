using OpenCvSharp;

namespace FaceObject.Inference.Video;

/// <summary>One sampled frame. <see cref="Image"/> belongs to the reader and is overwritten by the next frame: use it, don't keep it.</summary>
/// <param name="Index">The frame's number in the video, from 0.</param>
/// <param name="TimeSeconds">Its presentation time in seconds from the start.</param>
/// <param name="Image">8-bit BGR (<c>CV_8UC3</c>) pixels.</param>
public readonly record struct VideoFrame(int Index, double TimeSeconds, Mat Image);
