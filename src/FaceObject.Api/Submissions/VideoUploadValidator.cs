using FaceObject.Core.Imaging;

namespace FaceObject.Api.Submissions;

/// <summary>Checks video bytes without decoding: the container is sniffed from the bytes, never trusted from the file name or Content-Type.</summary>
internal static class VideoUploadValidator
{
    public const string Accepted = "MP4, MOV, AVI, MKV or WebM";

    /// <summary>How much of the start of a file <see cref="Check(ReadOnlySpan{byte}, long, long)"/> needs to recognise it.</summary>
    public const int HeaderBytes = 4096;

    /// <summary>Returns null when the bytes are an accepted video container within the limit, else the problem to answer.</summary>
    public static UploadProblem? Check(ReadOnlySpan<byte> content, long maxBytes) => Check(content, content.Length, maxBytes);

    /// <summary>
    /// Checks a video by its first bytes (<paramref name="header"/>, up to <see cref="HeaderBytes"/>) and its total
    /// <paramref name="length"/>, so a large upload can be streamed on without being read into memory first.
    /// </summary>
    public static UploadProblem? Check(ReadOnlySpan<byte> header, long length, long maxBytes)
    {
        if (length == 0)
        {
            return new(StatusCodes.Status400BadRequest, $"The uploaded file is empty; send an {Accepted} video.");
        }

        if (length > maxBytes)
        {
            return ImageUploadValidator.TooLarge(length, maxBytes);
        }

        if (VideoSniffer.Sniff(header) is not null)
        {
            return null;
        }

        return ImageSniffer.Sniff(header) is not null
            ? new(StatusCodes.Status415UnsupportedMediaType, $"The uploaded file is an image, not a video; send images to /api/detect/{{model}}/image, or an {Accepted} video here.")
            : new(StatusCodes.Status415UnsupportedMediaType, $"The uploaded file is not an {Accepted} video (its content was checked, not its name).");
    }
}
