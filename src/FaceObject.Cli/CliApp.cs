using System.CommandLine;
using System.CommandLine.Invocation;
using System.Net.Http.Headers;

namespace FaceObject.Cli;

/// <summary>The whole program behind <c>Main</c>, with its environment and output passed in so tests can run it in-process.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(
        IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output, TextWriter errors, CancellationToken cancellationToken) =>
        RunAsync(args, environment, output, errors, (arguments, token) => DetectAsync(arguments, output, errors, token), cancellationToken);

    /// <summary>As <c>Main</c> does, with <paramref name="detect"/> in place of the HTTP calls (tests record the arguments with it).</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output, TextWriter errors, DetectRun detect,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var parsed = CliCommandLine.Parse(args, environment, detect);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync("faceobject: " + error.Message);
            }

            await errors.WriteLineAsync("Run 'faceobject --help' for usage and exit codes.");
            return ExitCodes.Usage;
        }

        // Program.cs owns Ctrl+C and unexpected exceptions crash as before: exit code 1 means "a task failed".
        var invocation = new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    private static async Task<int> DetectAsync(CliArguments arguments, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(arguments.Server + "/"), Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("faceobject-cli", "1.0"));
        if (arguments.ApiKey is { } key)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        MessagePublisher? publisher;
        try
        {
            publisher = arguments.Via == Transports.Http ? null : await MessagePublisher.ConnectAsync(arguments.Via, arguments.Broker!);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            await errors.WriteLineAsync($"faceobject: cannot reach the broker {arguments.Broker} (--via {arguments.Via}): {e.Message}");
            return ExitCodes.ServerError;
        }

        await using var published = publisher;
        try
        {
            return await new DetectCommand(arguments, new ApiClient(http), publisher, output, errors).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync("faceobject: interrupted; tasks already submitted keep running on the server.");
            return ExitCodes.ServerError;
        }
    }
}
