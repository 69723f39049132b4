using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Frames from Debian's ffmpeg run as a child process that decodes the input and writes raw <c>bgr24</c> frames to
/// its stdout (Frigate's design: a hung child can be killed, a blocked in-process open cannot). The frame size comes
/// from ffmpeg's own stderr line for the output stream, printed before the first frame. Each attempt is one process;
/// it is killed (with any children) when the attempt is cancelled or ends, and reaped, so none is left behind.
/// </summary>
/// <param name="inputArguments">Per attempt: the input options and <c>-i</c> URL (so a URL can be re-checked and pinned each time).</param>
/// <param name="redact">Hides credentials in the stderr lines logged and reported.</param>
internal sealed partial class FfmpegFrameSource(
    string ffmpegPath,
    Func<CancellationToken, Task<IReadOnlyList<string>>> inputArguments,
    Func<string, string> redact,
    ILogger logger) : IFrameSource
{
    /// <summary>How many of ffmpeg's last stderr lines are kept to explain a failure.</summary>
    private const int KeptLines = 30;

    /// <summary>Larger frames are refused rather than allocated (16K x 16K).</summary>
    private const long MaxFrameBytes = 16384L * 16384 * 3;

    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(3);

    /// <summary>The pid of the running child, for tests that check it is gone; 0 when none.</summary>
    public int ProcessId { get; private set; }

    public async Task RunAsync(Action<Mat> onFrame, CancellationToken cancellationToken)
    {
        var input = await inputArguments(cancellationToken).ConfigureAwait(false);
        var info = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] before = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-fflags", "nobuffer", "-flags", "low_delay"];
        string[] after = ["-map", "0:v:0", "-an", "-sn", "-dn", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"];
        foreach (var argument in before.Concat(input).Concat(after))
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new CameraSourceException($"'{ffmpegPath}' did not start.", permanent: true);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CameraSourceException($"ffmpeg could not be started ('{ffmpegPath}': {e.Message}); install ffmpeg or set Streams:FfmpegPath.", permanent: true, e);
        }

        using (process)
        {
            ProcessId = process.Id;
            process.StandardInput.Close();
            var lines = new Queue<string>();
            var size = new TaskCompletionSource<(int Width, int Height)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var stderr = Task.Run(() => ReadStderrAsync(process, lines, size), CancellationToken.None);

            // Killing closes stdout, which ends any blocked read: cancellation works whatever the pipe supports.
            using var kill = cancellationToken.Register(() => Kill(process));
            try
            {
                await Task.WhenAny(size.Task, stderr).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (!size.Task.IsCompletedSuccessfully)
                {
                    throw await ExplainAsync(process, lines).ConfigureAwait(false);
                }

                var (width, height) = size.Task.Result;
                LogOpened(logger, width, height, process.Id);
                await ReadFramesAsync(process.StandardOutput.BaseStream, width, height, onFrame, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw await ExplainAsync(process, lines).ConfigureAwait(false);
            }
            finally
            {
                Kill(process);
                await WaitForExitAsync(process).ConfigureAwait(false);
                await stderr.WaitAsync(ExitWait, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                ProcessId = 0;
            }
        }
    }

    private static async Task ReadFramesAsync(Stream stdout, int width, int height, Action<Mat> onFrame, CancellationToken cancellationToken)
    {
        var length = (long)width * height * 3;
        if (length > MaxFrameBytes)
        {
            throw new CameraSourceException($"The camera's frames are {width}x{height}, larger than the 16384x16384 accepted.", permanent: true);
        }

        var buffer = new byte[length];
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await stdout.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                return;
            }
            catch (IOException)
            {
                return;
            }

            var image = new Mat(height, width, MatType.CV_8UC3);
            Marshal.Copy(buffer, 0, image.Data, buffer.Length);
            onFrame(image);
        }
    }

    private async Task ReadStderrAsync(Process process, Queue<string> lines, TaskCompletionSource<(int, int)> size)
    {
        var inOutput = false;
        try
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } raw)
            {
                var line = redact(raw);
                LogStderr(logger, process.Id, line);
                lock (lines)
                {
                    lines.Enqueue(line);
                    if (lines.Count > KeptLines)
                    {
                        lines.Dequeue();
                    }
                }

                inOutput |= FfmpegOutput.StartsOutputSection(line);
                if (FfmpegOutput.TryParseOutputSize(line, inOutput, out var width, out var height))
                {
                    size.TrySetResult((width, height));
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task<CameraSourceException> ExplainAsync(Process process, Queue<string> lines)
    {
        await WaitForExitAsync(process).ConfigureAwait(false);
        int? exitCode = process.HasExited ? process.ExitCode : null;
        lock (lines)
        {
            return FfmpegOutput.Explain([.. lines], exitCode);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    /// <summary>Reaps the child, bounded: a process stuck in the kernel must not hang the reader.</summary>
    private static async Task WaitForExitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(ExitWait);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ffmpeg[{Pid}]: {Line}")]
    private static partial void LogStderr(ILogger logger, int pid, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ffmpeg[{Pid}] streams {Width}x{Height} bgr24")]
    private static partial void LogOpened(ILogger logger, int width, int height, int pid);
}
