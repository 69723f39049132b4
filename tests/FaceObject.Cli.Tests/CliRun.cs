namespace FaceObject.Cli.Tests;

/// <summary>
/// One in-process run of the CLI through <see cref="CliApp.RunAsync(IReadOnlyList{string}, Func{string, string?}, TextWriter, TextWriter, DetectRun, CancellationToken)"/>,
/// the path <c>Main</c> takes, with the HTTP part replaced by a recorder of the bound <see cref="CliArguments"/>.
/// </summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors, CliArguments? Arguments)
{
    /// <summary>What the recorder returns, so a test can tell the detect run's exit code from the parser's.</summary>
    public const int DetectExitCode = 42;

    public static async Task<CliRun> RunAsync(params string[] args) => await RunAsync(new Dictionary<string, string>(), args);

    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        CliArguments? recorded = null;
        var exitCode = await CliApp.RunAsync(args, name => environment.GetValueOrDefault(name), output, errors, (arguments, _) =>
        {
            recorded = arguments;
            return Task.FromResult(DetectExitCode);
        }, CancellationToken.None);
        return new CliRun(exitCode, output.ToString(), errors.ToString(), recorded);
    }

    /// <summary>The arguments of a run that must have parsed.</summary>
    public CliArguments Parsed => Arguments ?? throw new InvalidOperationException($"The command line did not parse: {this}");

    public string? Option(string parameter) => Parsed.Options.Where(o => o.Key == parameter).Select(o => o.Value).SingleOrDefault();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
}
