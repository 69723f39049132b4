using System.Text.RegularExpressions;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Reads ffmpeg's stderr: the size of the raw output stream, and what went wrong in plain words. Pure.
/// </summary>
internal static partial class FfmpegOutput
{
    /// <summary>
    /// The frame size from the output stream line, e.g. <c>Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742),
    /// bgr24(progressive), 640x360 [SAR 1:1 DAR 16:9], ...</c>, printed once the output is set up and before the first
    /// frame is written. Only lines after <c>Output #0</c> count (the input's line has the same shape).
    /// </summary>
    public static bool TryParseOutputSize(string line, bool inOutputSection, out int width, out int height)
    {
        width = height = 0;
        if (!inOutputSection || !line.Contains("Video: rawvideo", StringComparison.Ordinal))
        {
            return false;
        }

        var match = SizePattern().Match(line);
        return match.Success
            && int.TryParse(match.Groups[1].ValueSpan, out width)
            && int.TryParse(match.Groups[2].ValueSpan, out height)
            && width > 0 && height > 0;
    }

    public static bool StartsOutputSection(string line) => line.StartsWith("Output #0", StringComparison.Ordinal);

    /// <summary>
    /// Explains why ffmpeg stopped from its last stderr lines. Permanent: the source can never work as given (not
    /// video, no video stream, unsupported codec, 4xx, a missing file); anything else (refused, reset, timed out) may
    /// pass.
    /// </summary>
    public static CameraSourceException Explain(IReadOnlyList<string> lines, int? exitCode)
    {
        var text = string.Join('\n', lines);
        var last = lines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim();
        var detail = last is null ? $"ffmpeg exited with code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}" : $"ffmpeg: {last}";

        if (ClientError().Match(text) is { Success: true } status)
        {
            return new CameraSourceException($"The camera answered {status.Groups[1].Value.Trim()} ({detail}).", permanent: true);
        }

        if (text.Contains("Invalid data found when processing input", StringComparison.Ordinal))
        {
            return new CameraSourceException($"The source is not a video stream ffmpeg can read ({detail}).", permanent: true);
        }

        if (text.Contains("does not contain any stream", StringComparison.Ordinal) || text.Contains("matches no streams", StringComparison.Ordinal))
        {
            return new CameraSourceException($"The source has no video stream ({detail}).", permanent: true);
        }

        if (UnsupportedCodec().IsMatch(text))
        {
            return new CameraSourceException($"The camera's video codec is not supported ({detail}).", permanent: true);
        }

        if (text.Contains("No such file or directory", StringComparison.Ordinal) || text.Contains("Protocol not found", StringComparison.Ordinal))
        {
            return new CameraSourceException($"The source cannot be opened ({detail}).", permanent: true);
        }

        if (text.Contains("Connection refused", StringComparison.Ordinal))
        {
            return new CameraSourceException($"The camera refused the connection ({detail}).", permanent: false);
        }

        return new CameraSourceException($"ffmpeg stopped reading the camera ({detail}).", permanent: false);
    }

    [GeneratedRegex(@", (\d{1,5})x(\d{1,5})\b")]
    private static partial Regex SizePattern();

    // RTSP: "method DESCRIBE failed: 404 Not Found"; HTTP: "Server returned 401 Unauthorized (authorization failed)".
    [GeneratedRegex(@"(?:failed: |Server returned )(4\d\d[^\n]*)")]
    private static partial Regex ClientError();

    [GeneratedRegex(@"Decoder \(codec [^)]*\) not found|Unsupported codec|Could not find codec parameters|unsupported codec", RegexOptions.IgnoreCase)]
    private static partial Regex UnsupportedCodec();
}
