using FaceObject.Core.Imaging;

namespace FaceObject.Api.Submissions;

/// <summary>
/// Checks uploaded image bytes without decoding pixels (<see cref="ImageContentCheck"/>, shared with images fetched
/// from URLs) and says which HTTP status each problem is.
/// </summary>
internal static class ImageUploadValidator
{
    public const string Accepted = ImageContentCheck.Accepted;

    private const string Subject = "The uploaded file";

    /// <summary>Returns null when the bytes are an accepted image within the limits, else the problem to answer.</summary>
    public static UploadProblem? Check(ReadOnlySpan<byte> content, long maxBytes, long maxPixels) =>
        ImageContentCheck.Check(content, maxBytes, maxPixels, Subject) is { } finding
            ? new(StatusOf(finding.Problem), finding.Detail)
            : null;

    public static UploadProblem TooLarge(long length, long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ImageContentCheck.TooLargeMessage(Subject, length, maxBytes));

    private static int StatusOf(ImageContentProblem problem) => problem switch
    {
        ImageContentProblem.Empty => StatusCodes.Status400BadRequest,
        ImageContentProblem.TooLarge or ImageContentProblem.TooManyPixels => StatusCodes.Status413PayloadTooLarge,
        ImageContentProblem.NotAnImage or ImageContentProblem.Gif => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status422UnprocessableEntity,
    };
}

/// <summary>Why an upload was refused, as an HTTP status and a message for a person.</summary>
internal sealed record UploadProblem(int Status, string Detail);
