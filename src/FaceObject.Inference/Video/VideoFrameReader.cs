using OpenCvSharp;

namespace FaceObject.Inference.Video;

/// <summary>
/// Reads frames of an uploaded video with OpenCV's <see cref="VideoCapture"/> (FFmpeg backend) and samples them
/// at a rate. One reader per job; not thread-safe. Dispose it: it owns the capture, the frame buffer and the
/// temporary copy of the video.
/// </summary>
/// <remarks>
/// <see cref="VideoCapture"/> reads from a path, not from memory, so the bytes are written to a file with a random
/// name in a new directory only this user can read (<see cref="Directory.CreateTempSubdirectory"/> makes it 0700).
/// On Unix the file is unlinked as soon as FFmpeg has opened it, so a worker that crashes mid-video leaves nothing
/// behind; elsewhere it is deleted on dispose.
/// </remarks>
public sealed class VideoFrameReader : IDisposable
{
    /// <summary>Half a microsecond: keeps float noise in frame times from moving a sample to the next frame.</summary>
    private const double Epsilon = 1e-6;

    private readonly VideoCapture _capture;
    private readonly Mat _frame = new();
    private readonly string _directory;

    private VideoFrameReader(VideoCapture capture, string directory, VideoStreamInfo info)
    {
        _capture = capture;
        _directory = directory;
        Info = info;
    }

    public VideoStreamInfo Info { get; }

    /// <summary>Frames decoded from the start so far, sampled or not (for progress against <see cref="VideoStreamInfo.FrameCount"/>).</summary>
    public int FramesRead { get; private set; }

    /// <summary>Opens a video from its bytes.</summary>
    /// <param name="content">The whole file.</param>
    /// <param name="extension">A file extension matching the container (<c>.mp4</c>, <c>.mkv</c>...); FFmpeg probes the content anyway.</param>
    /// <exception cref="VideoDecodeException">The bytes are not a video FFmpeg can open, or it has no video stream.</exception>
    public static VideoFrameReader Open(ReadOnlySpan<byte> content, string extension = ".mp4")
    {
        if (content.IsEmpty)
        {
            throw new VideoDecodeException("The video is empty (0 bytes).");
        }

        var directory = Directory.CreateTempSubdirectory("faceobject-video-").FullName;
        VideoCapture? capture = null;
        try
        {
            var path = Path.Combine(directory, Path.GetRandomFileName() + extension);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(content);
            }

            try
            {
                capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
            }
            catch (OpenCVException e)
            {
                throw new VideoDecodeException($"The {content.Length:N0}-byte video could not be opened: {e.Message}", e);
            }

            if (!OperatingSystem.IsWindows())
            {
                // FFmpeg holds its own descriptor now; the name is no longer needed.
                DeleteDirectory(directory);
            }

            if (!capture.IsOpened())
            {
                throw new VideoDecodeException(
                    $"The {content.Length:N0}-byte file could not be opened as a video: the container or codec is not supported, or the file is damaged or truncated.");
            }

            var info = new VideoStreamInfo(
                capture.FrameWidth,
                capture.FrameHeight,
                capture.Fps is > 0 and < 1000 and var fps ? fps : 0,
                capture.FrameCount > 0 ? capture.FrameCount : null);
            if (info.Width <= 0 || info.Height <= 0)
            {
                throw new VideoDecodeException("The file has no decodable video stream (no frame size); audio-only files are not accepted.");
            }

            var reader = new VideoFrameReader(capture, directory, info);
            capture = null;
            return reader;
        }
        catch
        {
            capture?.Dispose();
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>
    /// The frames to run a model on: the first frame, then one frame per 1/<paramref name="sampleFps"/> seconds
    /// (every frame when the video has fewer frames per second), until the video ends or
    /// <paramref name="maxFrames"/> frames were returned. Frame times are index / fps, the container's average rate.
    /// </summary>
    /// <remarks>The yielded <see cref="VideoFrame.Image"/> is the reader's one buffer: the next step overwrites it.</remarks>
    /// <exception cref="VideoDecodeException">The decoder failed on the stream (not raised for a clean end).</exception>
    public IEnumerable<VideoFrame> ReadSampled(double sampleFps, int maxFrames, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleFps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrames);
        var sampled = 0;
        var nextSample = 0L; // the sample number due next; sample k is due at k / sampleFps seconds
        for (var index = 0; sampled < maxFrames; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Grab())
            {
                yield break;
            }

            FramesRead = index + 1;
            var time = Info.Fps > 0 ? index / Info.Fps : _capture.PosMsec / 1000.0;
            var position = time * sampleFps + Epsilon;
            if (position < nextSample || !Retrieve())
            {
                continue;
            }

            nextSample = (long)Math.Floor(position) + 1;
            sampled++;
            yield return new VideoFrame(index, time, _frame);
        }
    }

    public void Dispose()
    {
        _frame.Dispose();
        _capture.Dispose();
        DeleteDirectory(_directory);
    }

    private bool Grab()
    {
        try
        {
            return _capture.Grab();
        }
        catch (OpenCVException e)
        {
            throw new VideoDecodeException($"Decoding failed after frame {FramesRead}: {e.Message}", e);
        }
    }

    /// <summary>Decodes the grabbed frame into the buffer as 8-bit BGR; false when that frame is damaged.</summary>
    private bool Retrieve()
    {
        try
        {
            if (!_capture.Retrieve(_frame) || _frame.Empty())
            {
                return false;
            }

            switch (_frame.Channels())
            {
                case 1:
                    Cv2.CvtColor(_frame, _frame, ColorConversionCodes.GRAY2BGR);
                    break;
                case 4:
                    Cv2.CvtColor(_frame, _frame, ColorConversionCodes.BGRA2BGR);
                    break;
            }

            // The FFmpeg backend converts every pixel format to 8-bit BGR; anything else is a frame we cannot use.
            return _frame.Type() == MatType.CV_8UC3;
        }
        catch (OpenCVException e)
        {
            throw new VideoDecodeException($"Decoding frame {FramesRead - 1} failed: {e.Message}", e);
        }
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover file in a private temp directory is harmless and the OS cleans /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
