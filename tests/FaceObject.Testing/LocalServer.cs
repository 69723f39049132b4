using System.Diagnostics;
using System.Net.Sockets;

namespace FaceObject.Testing;

/// <summary>What the fixtures that run a third-party server (redis-server, s3rver, PostgreSQL) share: start with drained output, run a tool to its end, kill, clean up.</summary>
internal static class LocalServer
{
    public static Process Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = RedirectedStartInfo(fileName, arguments, workingDirectory);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");

        // Drained so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> to its end and returns its exit code with its output (stdout then stderr);
    /// -1 with the reason when it cannot start or runs past <paramref name="timeout"/> (then it is killed).
    /// </summary>
    public static (int ExitCode, string Output) RunToEnd(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null)
    {
        var info = RedirectedStartInfo(fileName, arguments, workingDirectory);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"timed out after {timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    /// <summary>As <see cref="RunToEnd"/>, throwing with the command line and its output unless it exits with 0.</summary>
    public static void Run(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var (exitCode, output) = RunToEnd(fileName, arguments, timeout, workingDirectory);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', arguments)}' failed ({exitCode}): {output.Trim()}");
        }
    }

    /// <summary>Kills the server at once (as a crash would) and forgets it.</summary>
    public static void Kill(ref Process? process)
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            running.WaitForExit(5000);
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>Waits until the server accepts a connection on 127.0.0.1:<paramref name="port"/> (and passes <paramref name="ready"/>, when given).</summary>
    public static void WaitUntilAccepting(Process process, string name, int port, TimeSpan timeout, Func<NetworkStream, bool>? ready = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} at start.");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                using var stream = client.GetStream();
                if (ready is null || ready(stream))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"{name} did not accept connections on port {port} within {timeout}.");
    }

    public static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static ProcessStartInfo RedirectedStartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
