using System.Diagnostics;
using System.Globalization;

namespace FaceObject.LoadGen;

/// <summary>
/// CPU time (user + system) used so far by a server process, by its ffmpeg children (the camera decoders, per pid),
/// by other processes given, and by this process. Subtract two samples for the time used between them: a child that
/// started in between counts from zero; one that exited in between loses what it used after the first sample.
/// </summary>
internal sealed record CpuSample(TimeSpan Host, IReadOnlyDictionary<int, TimeSpan> FfmpegByPid, TimeSpan Others, TimeSpan Self)
{
    public TimeSpan Ffmpeg => FfmpegByPid.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);

    public int FfmpegProcesses => FfmpegByPid.Count;

    public static CpuSample Take(int hostPid, IEnumerable<int> otherPids) => new(
        CpuOf(hostPid),
        ChildrenNamed(hostPid, "ffmpeg").ToDictionary(pid => pid, CpuOf),
        otherPids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + CpuOf(pid)),
        Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>The CPU used from <paramref name="earlier"/> to this sample; the children are those alive now.</summary>
    public CpuSample Minus(CpuSample earlier) => new(
        Host - earlier.Host,
        FfmpegByPid.ToDictionary(c => c.Key, c => c.Value - earlier.FfmpegByPid.GetValueOrDefault(c.Key)),
        Others - earlier.Others,
        Self - earlier.Self);

    private static TimeSpan CpuOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>The pids whose parent is <paramref name="parentPid"/> and whose command is <paramref name="name"/>, from /proc/PID/stat.</summary>
    private static IEnumerable<int> ChildrenNamed(int parentPid, string name)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || stat[(open + 1)..close] != name)
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) && ppid == parentPid)
            {
                yield return pid;
            }
        }
    }
}
