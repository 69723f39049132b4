using System.Net.Http.Headers;
using OpenCvSharp;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Frames from an HTTP MJPEG stream (<c>multipart/x-mixed-replace</c>), read in process rather than by ffmpeg: no
/// process per camera and no raw-frame pipe, the connection goes through the policy-checked
/// <see cref="CameraHttp"/> (redirects included), and the status code and content types are seen directly, so a 4xx
/// or an HTML page fails with a plain reason. Each JPEG part is decoded with OpenCV.
/// </summary>
internal sealed class MjpegFrameSource(CameraHttp http, Uri url) : IFrameSource
{
    /// <summary>Larger parts are refused rather than buffered.</summary>
    private const int MaxPartBytes = 32 * 1024 * 1024;

    public async Task RunAsync(Action<Mat> onFrame, CancellationToken cancellationToken)
    {
        try
        {
            await ReadAsync(onFrame, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CameraSourceException($"The MJPEG connection broke off: {e.Message}", permanent: false, e);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CameraSourceException($"The MJPEG connection broke off: {e.Message}", permanent: false, e);
        }
    }

    private async Task ReadAsync(Action<Mat> onFrame, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var boundary = Boundary(response.Content.Headers.ContentType);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new MultipartReader(stream, boundary, MaxPartBytes);
            while (await reader.ReadPartAsync(cancellationToken).ConfigureAwait(false) is { } part)
            {
                if (part.ContentType is { } type && !type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CameraSourceException($"A part of the MJPEG stream is {type}, not an image.", permanent: true);
                }

                var image = Cv2.ImDecode(part.Body, ImreadModes.Color);
                if (image.Empty())
                {
                    image.Dispose();
                    throw new CameraSourceException($"A part of the MJPEG stream ({part.Body.Length} bytes, {part.ContentType ?? "no content type"}) is not a decodable image.", permanent: true);
                }

                onFrame(image);
            }
        }
    }

    private static string Boundary(MediaTypeHeaderValue? contentType)
    {
        var media = contentType?.MediaType;
        if (media is not null && media.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = contentType!.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
            return string.IsNullOrWhiteSpace(boundary)
                ? throw new CameraSourceException($"The camera answered {contentType} without a boundary: not a usable MJPEG stream.", permanent: true)
                : boundary;
        }

        throw media is not null && media.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            ? new CameraSourceException($"The URL answered a single image ({media}), not an MJPEG stream (multipart/x-mixed-replace): give it as a snapshot URL.", permanent: true)
            : new CameraSourceException($"The URL is not an MJPEG stream: it answered {media ?? "no content type"}, expected multipart/x-mixed-replace.", permanent: true);
    }
}
