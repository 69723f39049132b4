using FaceObject.Testing.Mot;

namespace FaceObject.Testing.Scenes;

/// <summary>A generated clip: its frames as numbered JPEGs (for the RTSP server), an MPEG-4 file (for uploads) and its true tracks.</summary>
/// <param name="FramePattern">e.g. <c>/tmp/x/frame%05d.jpg</c>, numbered from 0.</param>
/// <param name="Mp4Path">The same frames as an MPEG-4 file.</param>
/// <param name="Fps">Frames a second.</param>
/// <param name="FrameCount">Frames in the clip.</param>
/// <param name="Truth">The true boxes in MOT rows (frame = index + 1), also written to <c>gt.txt</c> beside the frames.</param>
/// <param name="TrueObjects">Distinct true objects per class.</param>
public sealed record SceneClip(string FramePattern, string Mp4Path, int Fps, int FrameCount, IReadOnlyList<MotBox> Truth, IReadOnlyDictionary<string, int> TrueObjects);
