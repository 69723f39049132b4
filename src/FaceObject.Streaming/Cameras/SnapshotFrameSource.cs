using OpenCvSharp;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Frames from an HTTP URL that answers one image per GET, polled every 1/<c>fps</c> seconds (measured from the
/// start of each request, so a slow camera is polled as soon as the previous answer arrived). A non-image answer is
/// an error naming its content type.
/// </summary>
internal sealed class SnapshotFrameSource(CameraHttp http, Uri url, double fps, TimeProvider time) : IFrameSource
{
    private const int MaxImageBytes = 32 * 1024 * 1024;

    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(1 / fps);

    public async Task RunAsync(Action<Mat> onFrame, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            onFrame(await FetchAsync(cancellationToken).ConfigureAwait(false));
            var wait = Interval - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<Mat> FetchAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var media = response.Content.Headers.ContentType?.MediaType;
        if (media is not null && !media.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && media != "application/octet-stream")
        {
            throw new CameraSourceException($"The snapshot URL answered {media}, not an image (expected image/jpeg or image/png).", permanent: true);
        }

        if (response.Content.Headers.ContentLength > MaxImageBytes)
        {
            throw new CameraSourceException($"The snapshot is {response.Content.Headers.ContentLength} bytes; at most {MaxImageBytes} are accepted.", permanent: true);
        }

        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CameraSourceException($"The snapshot download broke off: {e.Message}", permanent: false, e);
        }
        catch (IOException e)
        {
            throw new CameraSourceException($"The snapshot download broke off: {e.Message}", permanent: false, e);
        }

        var image = Cv2.ImDecode(body, ImreadModes.Color);
        if (image.Empty())
        {
            image.Dispose();
            throw new CameraSourceException($"The snapshot URL answered {body.Length} bytes of {media ?? "no content type"} that are not a decodable image.", permanent: true);
        }

        return image;
    }
}
