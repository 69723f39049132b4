using System.Net.Http.Headers;

namespace FaceObject.Cli;

/// <summary>The whole program behind <c>Main</c>, with its environment and output passed in so tests can run it in-process.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, environment, out var error);
        if (arguments is null)
        {
            errors.WriteLine("faceobject: " + error);
            errors.WriteLine("Run 'faceobject --help' for usage and exit codes.");
            return ExitCodes.Usage;
        }

        if (arguments.Help)
        {
            output.WriteLine(CliArguments.HelpText);
            return ExitCodes.Ok;
        }

        using var http = new HttpClient { BaseAddress = new Uri(arguments.Server + "/"), Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("faceobject-cli", "1.0"));
        if (arguments.ApiKey is { } key)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        try
        {
            return await new DetectCommand(arguments, new ApiClient(http), output, errors).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errors.WriteLine("faceobject: interrupted; tasks already submitted keep running on the server.");
            return ExitCodes.ServerError;
        }
    }
}
