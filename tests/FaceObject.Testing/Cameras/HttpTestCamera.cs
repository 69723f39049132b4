namespace FaceObject.Testing.Cameras;

/// <summary>
/// What the test process's HTTP cameras share: their server on 127.0.0.1, their frames, and cutting every open
/// request at once (<see cref="DropConnections"/>, as a camera reboot or a network blip would). Stopped on dispose.
/// </summary>
public abstract class HttpTestCamera : IAsyncDisposable
{
    private LocalHttpServer? _server;
    private CancellationTokenSource _drop = new();

    protected HttpTestCamera(int width, int height)
    {
        Width = width;
        Height = height;
        Frames = MjpegTestFrames.Create(width, height);
    }

    public int Width { get; }

    public int Height { get; }

    public LocalHttpServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Distinct JPEG frames of the camera's size, sent in turn.</summary>
    protected IReadOnlyList<byte[]> Frames { get; }

    /// <summary>Cancelled by the next <see cref="DropConnections"/>; a request takes it when it starts.</summary>
    protected CancellationToken DropToken => _drop.Token;

    /// <summary>Cuts every open request; new ones are served.</summary>
    public void DropConnections()
    {
        var old = Interlocked.Exchange(ref _drop, new CancellationTokenSource());
        old.Cancel();
        old.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        DropConnections();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _drop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected async Task StartServerAsync(Action<Microsoft.AspNetCore.Builder.WebApplication> map) =>
        _server = await LocalHttpServer.StartAsync((app, _) => map(app));
}
