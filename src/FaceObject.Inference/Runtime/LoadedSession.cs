using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Runtime;

/// <summary>
/// A model's one <see cref="InferenceSession"/>, the options it was built with and the provider that really runs it.
/// Owns both native objects. <c>Run</c> on the session is thread-safe; disposal is not and must come last.
/// </summary>
internal sealed class LoadedSession(InferenceSession session, SessionOptions options, string device) : IDisposable
{
    public InferenceSession Session { get; } = session;

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; } = device;

    public void Dispose()
    {
        Session.Dispose();
        options.Dispose();
    }
}
