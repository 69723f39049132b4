using System.Text.Json.Nodes;

namespace FaceObject.Cli;

/// <summary>
/// <c>faceobject detect</c> and <c>faceobject pipeline</c>: submits every input (one task each), then with --wait follows each task to its end.
/// Problems go to stderr, results to stdout.
/// </summary>
internal sealed class DetectCommand(CliArguments arguments, ApiClient api, MessagePublisher? publisher, TextWriter output, TextWriter errors)
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];

    /// <summary>How long --wait waits for the server to take a published message before an unknown task is an error.</summary>
    private static readonly TimeSpan BrokerPickUp = TimeSpan.FromSeconds(30);

    private Task<JsonObject> SubmitImageAsync(string path, string query, CancellationToken cancellationToken) => publisher is null
        ? api.SubmitFileAsync(ApiClient.SubmitPath(arguments, "image"), path, query, cancellationToken)
        : publisher.PublishFileAsync(Target, path, arguments.Options, cancellationToken);

    private MessageTarget Target => new(arguments.RunsPipeline ? "pipeline" : "model", arguments.Model);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var inputs = new List<(string Name, Func<Task<JsonObject>> Submit)>();
        var query = ApiClient.Query(arguments.Options);
        foreach (var path in arguments.Paths)
        {
            if (Directory.Exists(path))
            {
                var images = Directory.EnumerateFiles(path)
                    .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (images.Count == 0)
                {
                    errors.WriteLine($"faceobject: the folder {path} holds no .jpg, .jpeg, .png, .webp or .bmp file.");
                    return ExitCodes.Usage;
                }

                inputs.AddRange(images.Select(f => (f, (Func<Task<JsonObject>>)(() => SubmitImageAsync(f, query, cancellationToken)))));
            }
            else if (File.Exists(path))
            {
                inputs.Add((path, () => SubmitImageAsync(path, query, cancellationToken)));
            }
            else
            {
                errors.WriteLine($"faceobject: {path} is neither a file nor a folder.");
                return ExitCodes.Usage;
            }
        }

        foreach (var video in arguments.Videos)
        {
            if (!File.Exists(video))
            {
                errors.WriteLine($"faceobject: the video {video} does not exist.");
                return ExitCodes.Usage;
            }

            inputs.Add((video, () => api.SubmitFileAsync(ApiClient.SubmitPath(arguments, "video"), video, query, cancellationToken)));
        }

        inputs.AddRange(arguments.Urls.Select(url => (url, (Func<Task<JsonObject>>)(() => publisher is null
            ? api.SubmitUrlAsync(ApiClient.SubmitPath(arguments, "image"), url, query, cancellationToken)
            : publisher.PublishUrlAsync(Target, url, arguments.Options)))));

        var printer = new ResultPrinter(output, arguments.Json);
        var exitCode = ExitCodes.Ok;
        var accepted = new List<(string Name, string TaskId)>();
        foreach (var (name, submit) in inputs)
        {
            try
            {
                var answer = await submit();
                var taskId = answer["task_id"]?.GetValue<string>() ?? throw new ServerException("the server's answer has no task_id.");
                accepted.Add((name, taskId));
                if (!arguments.Wait)
                {
                    printer.Accepted(name, answer);
                }
            }
            catch (ServerException e)
            {
                errors.WriteLine($"faceobject: {name}: {e.Message}");
                exitCode = Math.Max(exitCode, e.ExitCode);
                if (e.ExitCode == ExitCodes.ServerError)
                {
                    return exitCode; // the server is unreachable or broken: the other inputs would fail the same way
                }
            }
        }

        if (!arguments.Wait)
        {
            return exitCode;
        }

        foreach (var (name, taskId) in accepted)
        {
            try
            {
                var task = await api.WaitAsync(taskId, running => ShowProgress(name, running), cancellationToken, publisher is null ? TimeSpan.Zero : BrokerPickUp);
                printer.Ended(name, task);
                if (task["status"]?.GetValue<string>() != "completed")
                {
                    exitCode = Math.Max(exitCode, ExitCodes.TaskFailed);
                }
            }
            catch (ServerException e)
            {
                errors.WriteLine($"faceobject: {name} (task {taskId}): {e.Message}");
                exitCode = Math.Max(exitCode, e.ExitCode == ExitCodes.Rejected ? ExitCodes.TaskFailed : e.ExitCode);
            }
        }

        return exitCode;
    }

    /// <summary>Video tasks report progress; images go from queued to done too fast to bother.</summary>
    private void ShowProgress(string name, JsonObject task)
    {
        if (task["kind"]?.GetValue<string>() == "video" && task["progress"] is JsonValue progress && progress.TryGetValue<double>(out var fraction))
        {
            errors.WriteLine($"{name}: {task["status"]?.GetValue<string>()} {ApiClient.Percent(fraction)}");
        }
    }
}
