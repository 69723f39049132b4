namespace FaceObject.Inference;

/// <summary>
/// A configured model cannot be loaded: missing file, not ONNX, wrong shapes for its type, bad labels or an
/// execution provider that cannot start. The message is one line naming the key and path, what was expected
/// and what was found, fit for a start-up failure.
/// </summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
