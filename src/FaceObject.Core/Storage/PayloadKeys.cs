using FaceObject.Core.Imaging;

namespace FaceObject.Core.Storage;

/// <summary>
/// The payload keys of a task. They are the documented bucket layout (docs/storage.md) as they are, so an
/// S3-compatible store uses them as object keys and the Redis and memory stores as names: one scheme for all.
/// </summary>
public static class PayloadKeys
{
    public const string OriginalPrefix = "original/";
    public const string ResultPrefix = "results/";
    public const string ProcessedPrefix = "processed/";

    /// <summary>The uploaded bytes: <c>original/{task_id}.{ext}</c>, the extension from the sniffed format.</summary>
    public static string Original(string taskId, string extension) => $"{OriginalPrefix}{taskId}.{extension.TrimStart('.')}";

    /// <summary>The result document (DESIGN.md shape), written by the worker when the payload store is a bucket.</summary>
    public static string Result(string taskId) => $"{ResultPrefix}{taskId}.json";

    /// <summary>The annotated or blurred output image.</summary>
    public static string Processed(string taskId) => $"{ProcessedPrefix}{taskId}.jpg";

    /// <summary>The usual file extension of a sniffed image format.</summary>
    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpg",
        ImageFormat.Png => "png",
        ImageFormat.WebP => "webp",
        ImageFormat.Bmp => "bmp",
        ImageFormat.Gif => "gif",
        _ => "bin",
    };

    /// <summary>The usual file extension of a sniffed video container.</summary>
    public static string Extension(VideoFormat format) => format switch
    {
        VideoFormat.Mp4 => "mp4",
        VideoFormat.QuickTime => "mov",
        VideoFormat.Avi => "avi",
        VideoFormat.Matroska => "mkv",
        VideoFormat.WebM => "webm",
        _ => "bin",
    };

    /// <summary>
    /// The extension an image URL's path ends with, when it names an image type (<c>jpeg</c> as <c>jpg</c>); else
    /// <c>bin</c>. For naming the stored copy only: the bytes are still sniffed before they are decoded.
    /// </summary>
    public static string ExtensionOfPath(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        return Path.GetExtension(path).TrimStart('.').ToLowerInvariant() switch
        {
            "jpg" or "jpeg" => "jpg",
            "png" => "png",
            "webp" => "webp",
            "bmp" => "bmp",
            _ => "bin",
        };
    }

    /// <summary>The extension for content whose format is sniffed from its first bytes; <c>bin</c> when unknown.</summary>
    public static string ExtensionOf(ReadOnlySpan<byte> head) =>
        ImageSniffer.Sniff(head) is { } image ? Extension(image)
        : VideoSniffer.Sniff(head) is { } video ? Extension(video)
        : "bin";
}
