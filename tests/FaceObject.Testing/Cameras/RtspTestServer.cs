using System.Diagnostics;

namespace FaceObject.Testing.Cameras;

/// <summary>
/// A real RTSP server (gst-rtsp-server, <c>rtsp_server.py</c>) on 127.0.0.1 serving numbered JPEG frames in a loop as
/// H.264, one mount per clip. <see cref="Kill"/> is a dead camera; <see cref="Restart"/> brings it back on the same
/// port. Stopped on dispose.
/// </summary>
public sealed class RtspTestServer : IDisposable
{
    /// <summary>Debian's interpreter, which has python3-gi (a pyenv or venv python on PATH may not).</summary>
    private const string Python = "/usr/bin/python3";

    private readonly IReadOnlyDictionary<string, string> _mounts;
    private readonly int _fps;
    private Process? _process;

    /// <param name="mounts">Mount name (e.g. <c>cam</c>) to a frame pattern such as <c>/tmp/scene/frame%05d.jpg</c>, numbered from 0.</param>
    /// <param name="fps">Frames a second each mount plays at.</param>
    public RtspTestServer(IReadOnlyDictionary<string, string> mounts, int fps = 15)
    {
        _mounts = mounts;
        _fps = fps;
        Port = FreePort.Next();
        Start();
    }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The URL of a mount, e.g. <c>rtsp://127.0.0.1:PORT/cam</c>.</summary>
    public string Url(string mount = "cam") => $"rtsp://127.0.0.1:{Port}/{mount}";

    /// <summary>Kills the server at once: every client's stream breaks, as when a camera loses power.</summary>
    public void Kill() => LocalServer.Kill(ref _process);

    /// <summary>Starts the server again on the same port.</summary>
    public void Restart()
    {
        Kill();
        Start();
    }

    public void Dispose() => Kill();

    private void Start()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Cameras", "rtsp_server.py");
        _process = LocalServer.Start(Python, [script, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), _fps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. _mounts.Select(m => $"{m.Key}={m.Value}")]);
        LocalServer.WaitUntilAccepting(_process, "rtsp_server.py", Port, TimeSpan.FromSeconds(20));
    }
}
