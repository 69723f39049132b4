using FaceObject.Core.Imaging;
using OpenCvSharp;

namespace FaceObject.Inference;

/// <summary>Turns uploaded bytes into the pixels detectors take. Stateless and thread-safe.</summary>
public static class ImageDecoder
{
    /// <summary>
    /// Decodes JPEG, PNG, WebP or BMP bytes to 8-bit BGR (<c>CV_8UC3</c>). EXIF orientation is applied, so the
    /// result is upright and its size is the size the detector's boxes refer to. Grayscale, alpha, 16-bit and CMYK
    /// inputs are converted, not rejected (OpenCV's <c>IMREAD_COLOR</c> does all of this).
    /// </summary>
    /// <returns>A new Mat the caller owns and must dispose.</returns>
    /// <exception cref="ImageDecodeException">The bytes are empty or do not decode.</exception>
    public static Mat Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new ImageDecodeException("The image is empty (0 bytes).");
        }

        Mat image;
        try
        {
            image = Cv2.ImDecode(encoded, ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            throw new ImageDecodeException($"{Describe(encoded)} could not be decoded: {e.Message}", e);
        }

        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            image.Dispose();
            throw new ImageDecodeException($"{Describe(encoded)} could not be decoded; JPEG, PNG, WebP and BMP images are accepted.");
        }

        return image;
    }

    private static string Describe(ReadOnlySpan<byte> encoded) => ImageSniffer.Sniff(encoded) switch
    {
        { } format => $"The {encoded.Length}-byte {format.ToString().ToUpperInvariant()} image (truncated or corrupt?)",
        null => $"The {encoded.Length} bytes are not a recognised image format and",
    };
}
