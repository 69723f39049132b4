using FaceObject.Core.Imaging;

namespace FaceObject.Api.Submissions;

/// <summary>Checks video bytes without decoding: the container is sniffed from the bytes, never trusted from the file name or Content-Type.</summary>
internal static class VideoUploadValidator
{
    public const string Accepted = "MP4, MOV, AVI, MKV or WebM";

    /// <summary>Returns null when the bytes are an accepted video container within the limit, else the problem to answer.</summary>
    public static UploadProblem? Check(ReadOnlySpan<byte> content, long maxBytes)
    {
        if (content.IsEmpty)
        {
            return new(StatusCodes.Status400BadRequest, $"The uploaded file is empty; send an {Accepted} video.");
        }

        if (content.Length > maxBytes)
        {
            return ImageUploadValidator.TooLarge(content.Length, maxBytes);
        }

        if (ImageSniffer.SniffVideo(content) is not null)
        {
            return null;
        }

        return ImageSniffer.Sniff(content) is not null
            ? new(StatusCodes.Status415UnsupportedMediaType, $"The uploaded file is an image, not a video; send images to /api/detect/{{model}}/image, or an {Accepted} video here.")
            : new(StatusCodes.Status415UnsupportedMediaType, $"The uploaded file is not an {Accepted} video (its content was checked, not its name).");
    }
}
