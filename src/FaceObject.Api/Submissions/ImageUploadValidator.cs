using FaceObject.Core.Imaging;

namespace FaceObject.Api.Submissions;

/// <summary>
/// Checks image bytes without decoding pixels: the format is sniffed from the bytes (never trusted from the file
/// name or Content-Type) and the pixel count read from the header.
/// </summary>
internal static class ImageUploadValidator
{
    public const string Accepted = "JPEG, PNG, WebP or BMP";

    /// <summary>Returns null when the bytes are an accepted image within the limits, else the problem to answer.</summary>
    public static UploadProblem? Check(ReadOnlySpan<byte> content, long maxBytes, long maxPixels)
    {
        if (content.IsEmpty)
        {
            return new(StatusCodes.Status400BadRequest, $"The uploaded file is empty; send a {Accepted} image.");
        }

        if (content.Length > maxBytes)
        {
            return TooLarge(content.Length, maxBytes);
        }

        switch (ImageSniffer.Sniff(content))
        {
            case null:
                return new(StatusCodes.Status415UnsupportedMediaType, $"The uploaded file is not a {Accepted} image (its content was checked, not its name).");
            case ImageFormat.Gif:
                return new(StatusCodes.Status415UnsupportedMediaType, $"GIF images are not accepted; send a {Accepted} image (or a video to the video endpoint).");
        }

        if (!ImageSniffer.TryReadSize(content, out var width, out var height) || width <= 0 || height <= 0)
        {
            return new(StatusCodes.Status422UnprocessableEntity, "The image header is damaged: its size cannot be read, so it cannot be decoded.");
        }

        if ((long)width * height > maxPixels)
        {
            return new(StatusCodes.Status413PayloadTooLarge,
                $"The image is {width}x{height} pixels; at most {maxPixels:N0} pixels are accepted.");
        }

        return null;
    }

    public static UploadProblem TooLarge(long length, long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The upload is {length:N0} bytes; at most {maxBytes:N0} bytes are accepted.");
}

/// <summary>Why an upload was refused, as an HTTP status and a message for a person.</summary>
internal sealed record UploadProblem(int Status, string Detail);
