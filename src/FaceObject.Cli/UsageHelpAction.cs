using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace FaceObject.Cli;

/// <summary>
/// The help for <c>-h</c>/<c>--help</c>, <c>help</c> and a bare <c>faceobject</c>: the generated help of
/// <c>detect</c> (the tool's main command, so its options are what a reader wants to see; <c>pipeline --help</c>
/// shows the pipeline command's) with the exit codes and
/// examples below it. System.CommandLine 3.0 keeps its help layout internal, hence the sections appended as text.
/// </summary>
internal sealed class UsageHelpAction(Command detect, Command pipeline) : SynchronousCommandLineAction
{
    public const string ExitCodesAndExamples = """
        Exit codes:
          0  everything was accepted (and, with --wait, completed)
          1  a task failed or was cancelled (with --wait)
          2  usage error: nothing was sent
          3  the server could not be reached, timed out or answered 5xx
          4  the server refused a request (4xx); its problem detail is printed
          With several inputs, the largest code wins.

        Examples:
          faceobject detect face photo.jpg --wait
          faceobject detect object ./holiday --wait --json
          faceobject detect object --url https://example.com/dog.jpg --wait
          faceobject detect object --video clip.mp4 --sample-fps 2 --wait
          faceobject detect object a.jpg --score-threshold 0.5 --annotate --callback-url https://hooks.example.com/x
          faceobject pipeline blur-and-detect team.jpg --url https://example.com/b.jpg --wait
          faceobject pipeline blur-and-detect --url https://example.com/b.jpg --via amqp --broker amqp://user:pw@host:5672/
        """;

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult) => Show(parseResult);

    public int Show(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (parseResult.CommandResult.Command != detect && parseResult.CommandResult.Command != pipeline)
        {
            return parseResult.RootCommandResult.Command.Parse(["detect", "--help"]).Invoke(parseResult.InvocationConfiguration);
        }

        var exitCode = new HelpAction().Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(ExitCodesAndExamples);
        return exitCode;
    }
}
