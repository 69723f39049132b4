using OpenCvSharp;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Checks the URL's host against the policy (every address it resolves to) at the start of each attempt, then runs
/// the inner source. The HTTP client checks again on each connection; this check is what gives a clear, permanent
/// refusal when a name resolves to both an allowed and a refused address.
/// </summary>
internal sealed class CheckedFrameSource(CameraSourcePolicy policy, Uri url, IFrameSource inner) : IFrameSource
{
    public async Task RunAsync(Action<Mat> onFrame, CancellationToken cancellationToken)
    {
        try
        {
            await policy.CheckAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (CameraSourceRefusedException e)
        {
            throw new CameraSourceException(e.Message, permanent: true, e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new CameraSourceException($"The camera's host name '{url.Host}' does not resolve: {e.Message}", permanent: false, e);
        }

        await inner.RunAsync(onFrame, cancellationToken).ConfigureAwait(false);
    }
}
