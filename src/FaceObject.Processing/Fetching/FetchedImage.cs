namespace FaceObject.Processing.Fetching;

/// <summary>The outcome of fetching an image URL: the bytes, or why the URL can never give an image.</summary>
internal sealed record FetchedImage(byte[]? Content, string? Failure)
{
    public static FetchedImage Of(byte[] content) => new(content, null);

    public static FetchedImage Refused(string reason) => new(null, reason);
}
