namespace FaceObject.Core.Results;

/// <summary>Detections of one sampled video frame; boxes are in the frame's pixels.</summary>
/// <param name="Index">The frame's number in the video, from 0.</param>
/// <param name="TimeS">Its time from the start of the video, in seconds.</param>
/// <param name="Detections">What the model found, highest confidence first.</param>
public sealed record FrameDetections(int Index, double TimeS, IReadOnlyList<Detection> Detections);
