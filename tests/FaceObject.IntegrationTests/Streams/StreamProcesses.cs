namespace FaceObject.IntegrationTests.Streams;

/// <summary>The ffmpeg child processes reading a given camera, found by their command lines in /proc.</summary>
internal static class StreamProcesses
{
    public static int ReadersOf(string url) => Directory.EnumerateDirectories("/proc")
        .Select(d => Path.Combine(d, "cmdline"))
        .Count(path =>
        {
            try
            {
                var commandLine = File.ReadAllText(path).Replace('\0', ' ');
                return commandLine.StartsWith("ffmpeg", StringComparison.Ordinal) && commandLine.Contains(url, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
