using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Testing.Cameras;

/// <summary>
/// An HTTP snapshot camera served by the test process on 127.0.0.1: every GET of <see cref="Url"/> answers one JPEG
/// of the given size. Switches: <see cref="Stalled"/> (requests hang until it is cleared), <see cref="ErrorStatus"/>,
/// <see cref="NotImage"/> (an HTML page) and <see cref="DropConnections"/> (hanging requests are cut). The times of
/// the requests it answered are kept, to check the polling rate. Stopped on dispose.
/// </summary>
public sealed class SnapshotCamera : HttpTestCamera
{
    private readonly List<DateTimeOffset> _served = [];
    private int _requests;

    private SnapshotCamera(int width, int height)
        : base(width, height)
    {
    }

    public string Url => $"{Server.BaseUrl}/snapshot.jpg";

    public bool Stalled { get; set; }

    public int? ErrorStatus { get; set; }

    public bool NotImage { get; set; }

    /// <summary>When the images were sent (in the order sent).</summary>
    public IReadOnlyList<DateTimeOffset> Served
    {
        get
        {
            lock (_served)
            {
                return [.. _served];
            }
        }
    }

    public static async Task<SnapshotCamera> StartAsync(int width = 320, int height = 240)
    {
        var camera = new SnapshotCamera(width, height);
        await camera.StartServerAsync(app => app.MapGet("/snapshot.jpg", camera.AnswerAsync));
        return camera;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var index = Interlocked.Increment(ref _requests);
        var drop = DropToken;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drop);
        try
        {
            while (Stalled)
            {
                await Task.Delay(20, linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        if (ErrorStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"camera error {status}");
            return;
        }

        if (NotImage)
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<html><body>Please log in</body></html>");
            return;
        }

        var jpeg = Frames[index % Frames.Count];
        context.Response.ContentType = "image/jpeg";
        context.Response.ContentLength = jpeg.Length;
        await context.Response.Body.WriteAsync(jpeg);
        lock (_served)
        {
            _served.Add(DateTimeOffset.UtcNow);
        }
    }
}
