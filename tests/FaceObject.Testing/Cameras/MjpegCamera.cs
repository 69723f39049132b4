using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Testing.Cameras;

/// <summary>
/// An HTTP MJPEG camera (<c>multipart/x-mixed-replace</c>) served by the test process on 127.0.0.1 at
/// <see cref="Url"/>, sending <see cref="Fps"/> JPEG frames a second of the given size. Switches for the faults a
/// reader must survive: <see cref="Stalled"/> (connections stay open, nothing is sent), <see cref="DropConnections"/>
/// (every open stream is cut), <see cref="ErrorStatus"/> (answer with that status) and <see cref="NotVideo"/> (answer
/// an HTML page). Switches take effect at once and may be flipped while a reader is connected. Stopped on dispose.
/// </summary>
public sealed class MjpegCamera : HttpTestCamera
{
    public const string Boundary = "camframe";

    private long _framesSent;
    private int _connections;

    private MjpegCamera(int width, int height, double fps, bool contentLength)
        : base(width, height)
    {
        Fps = fps;
        SendContentLength = contentLength;
    }

    public double Fps { get; }

    /// <summary>Whether each part carries a Content-Length header (most cameras do; the reader must cope without).</summary>
    public bool SendContentLength { get; }

    public string Url => $"{Server.BaseUrl}/mjpeg";

    /// <summary>A page at the same server answering <c>text/html</c>: not video.</summary>
    public string HtmlUrl => $"{Server.BaseUrl}/page";

    /// <summary>A single JPEG at the same server: a snapshot URL given as an MJPEG stream.</summary>
    public string SingleImageUrl => $"{Server.BaseUrl}/still.jpg";

    /// <summary>While true, open streams send nothing and new requests get no answer (a hung camera).</summary>
    public bool Stalled { get; set; }

    /// <summary>When set, requests are answered with this status code and a short text body.</summary>
    public int? ErrorStatus { get; set; }

    /// <summary>When true, requests are answered with an HTML page instead of the stream.</summary>
    public bool NotVideo { get; set; }

    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Stream requests received so far (each reconnect is one).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static async Task<MjpegCamera> StartAsync(int width = 320, int height = 240, double fps = 15, bool contentLength = true)
    {
        var camera = new MjpegCamera(width, height, fps, contentLength);
        await camera.StartServerAsync(app =>
        {
            app.MapGet("/mjpeg", camera.StreamAsync);
            app.MapGet("/page", () => Results.Content("<html><body>Camera login</body></html>", "text/html"));
            app.MapGet("/still.jpg", () => Results.Bytes(camera.Frames[0], "image/jpeg"));
        });
        return camera;
    }

    private async Task StreamAsync(HttpContext context)
    {
        Interlocked.Increment(ref _connections);
        var drop = DropToken;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drop);
        var token = linked.Token;
        try
        {
            while (Stalled && !token.IsCancellationRequested)
            {
                await Task.Delay(20, token);
            }

            if (ErrorStatus is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsync($"camera error {status}", token);
                return;
            }

            if (NotVideo)
            {
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Camera login</body></html>", token);
                return;
            }

            context.Response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
            var interval = TimeSpan.FromSeconds(1 / Fps);
            var next = DateTime.UtcNow;
            for (var i = 0; !token.IsCancellationRequested; i++)
            {
                if (!Stalled)
                {
                    var jpeg = Frames[i % Frames.Count];
                    var header = $"--{Boundary}\r\nContent-Type: image/jpeg\r\n"
                        + (SendContentLength ? $"Content-Length: {jpeg.Length}\r\n" : "")
                        + "\r\n";
                    await context.Response.Body.WriteAsync(System.Text.Encoding.ASCII.GetBytes(header), token);
                    await context.Response.Body.WriteAsync(jpeg, token);
                    await context.Response.Body.WriteAsync("\r\n"u8.ToArray(), token);
                    await context.Response.Body.FlushAsync(token);
                    Interlocked.Increment(ref _framesSent);
                }

                next += interval;
                var wait = next - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, token);
                }
                else
                {
                    next = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }

        if (drop.IsCancellationRequested)
        {
            context.Abort();
        }
    }
}
