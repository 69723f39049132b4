namespace FaceObject.Inference;

/// <summary>The bytes are not an image that can be decoded; retrying cannot help (the API answers 422).</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException()
    {
    }

    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
