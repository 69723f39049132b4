namespace FaceObject.Core.Imaging;

/// <summary>Why image bytes are not accepted, before any decoder sees them.</summary>
public enum ImageContentProblem
{
    Empty,
    TooLarge,
    NotAnImage,
    Gif,
    DamagedHeader,
    TooManyPixels,
}

/// <summary>
/// The checks every image input passes, whether uploaded or fetched from a URL: the format sniffed from the bytes
/// (never trusted from a name or a Content-Type), the byte limit, and the pixel count read from the header without
/// decoding. Pure and thread-safe.
/// </summary>
public static class ImageContentCheck
{
    public const string Accepted = "JPEG, PNG, WebP or BMP";

    /// <summary>Null when the bytes are an accepted image within the limits, else what is wrong, for a person.</summary>
    /// <param name="subject">What the bytes are, to start the message with: "The uploaded file", "The content at image_url".</param>
    public static ImageContentFinding? Check(ReadOnlySpan<byte> content, long maxBytes, long maxPixels, string subject)
    {
        if (content.IsEmpty)
        {
            return new(ImageContentProblem.Empty, $"{subject} is empty; send a {Accepted} image.");
        }

        if (content.Length > maxBytes)
        {
            return new(ImageContentProblem.TooLarge, TooLargeMessage(subject, content.Length, maxBytes));
        }

        switch (ImageSniffer.Sniff(content))
        {
            case null:
                return new(ImageContentProblem.NotAnImage, $"{subject} is not a {Accepted} image (its content was checked, not its name or declared type).");
            case ImageFormat.Gif:
                return new(ImageContentProblem.Gif, $"GIF images are not accepted; send a {Accepted} image (or a video to the video endpoint).");
        }

        if (!ImageSniffer.TryReadSize(content, out var width, out var height) || width <= 0 || height <= 0)
        {
            return new(ImageContentProblem.DamagedHeader, "The image header is damaged: its size cannot be read, so it cannot be decoded.");
        }

        if ((long)width * height > maxPixels)
        {
            return new(ImageContentProblem.TooManyPixels, $"The image is {width}x{height} pixels; at most {maxPixels:N0} pixels are accepted.");
        }

        return null;
    }

    public static string TooLargeMessage(string subject, long length, long maxBytes) =>
        $"{subject} is {length:N0} bytes; at most {maxBytes:N0} bytes are accepted.";
}

/// <summary>One reason image bytes were not accepted.</summary>
public sealed record ImageContentFinding(ImageContentProblem Problem, string Detail);
