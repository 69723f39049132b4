using System.Collections.Concurrent;
using System.Diagnostics;

namespace FaceObject.Testing;

/// <summary>
/// A FaceObject host (the API, a worker or the all-in-one host) run as a real, separate OS process from its built DLL, with its
/// output kept for assertions and failure messages. Killed, with its children, on dispose.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    /// <summary>Starts the enqueue-only API listening on <paramref name="url"/>; it needs <c>ConnectionStrings:Redis</c>.</summary>
    public static ServiceProcess StartApi(string url, IReadOnlyDictionary<string, string?> settings) =>
        Start("FaceObject.Api", ["--urls", url], settings);

    /// <summary>Starts the all-in-one host (the API and a worker for every model queue; in memory without Redis) on <paramref name="url"/>.</summary>
    public static ServiceProcess StartAllInOne(string url, IReadOnlyDictionary<string, string?> settings) =>
        Start("FaceObject.AllInOne", ["--urls", url], settings);

    /// <summary>Starts a worker serving <paramref name="queues"/> (comma-separated).</summary>
    public static ServiceProcess StartWorker(string queues, IReadOnlyDictionary<string, string?> settings) =>
        Start("FaceObject.Worker", ["--queues", queues], settings);

    public static ServiceProcess Start(string project, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> settings)
    {
        var dll = HostBinary(project);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{project} did not start.");
        return new ServiceProcess(process, project);
    }

    /// <summary>Waits until a line of output contains <paramref name="text"/>; fails with the output if the process exits first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} did not print '{text}' within {timeout}:\n{Output}");
    }

    /// <summary>Waits until GET <paramref name="url"/> answers (any status below 500).</summary>
    public async Task WaitForHttpAsync(string url, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before answering {url}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(url));
                if ((int)response.StatusCode < 500)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} did not answer {url} within {timeout}:\n{Output}");
    }

    /// <summary>Waits for the process to exit and, when it has, for its last output lines to be collected.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        // Only the overload without a timeout waits for the redirected streams to reach their end; without it a
        // test can read Output before the process's last line (often the one that says why it exited) arrived.
        _process.WaitForExit();
        return true;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM: the polite stop a container runtime sends first.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>The built DLL of a host project, in the same configuration as the running tests.</summary>
    public static string HostBinary(string project)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(TestPaths.RepositoryRoot, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is not built; build the solution first (dotnet test does).", path);
    }

    /// <summary>Settings that point the models at ../shared/models, so tests never depend on models/ being filled.</summary>
    public static Dictionary<string, string?> SharedModelSettings() => new()
    {
        ["Models:face:Path"] = TestPaths.Model("version-RFB-640.onnx"),
        ["Models:object:Path"] = TestPaths.Model("yolox_nano.onnx"),
        ["Models:object:Labels"] = TestPaths.Model("coco.names"),
    };
}
