using System.CommandLine;
using System.CommandLine.Help;

namespace FaceObject.Cli;

/// <summary>The whole command line: <c>faceobject detect ...</c> and <c>faceobject pipeline ...</c>, plus help for <c>faceobject</c>, <c>faceobject help</c> and <c>-h</c>.</summary>
internal static class CliCommandLine
{
    public const string Description = "faceobject: submit images and videos to a FaceObject server and print what it found.";

    /// <summary>Parses <paramref name="args"/>; invoking the result runs <paramref name="run"/> for a valid detect or pipeline command.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args, Func<string, string?> environment, DetectRun run)
    {
        var detect = new DetectCommandLine(args, environment);
        detect.Command.SetAction((result, cancellationToken) => run(detect.Bind(result), cancellationToken));
        var pipeline = new DetectCommandLine(args, environment, runsPipeline: true);
        pipeline.Command.SetAction((result, cancellationToken) => run(pipeline.Bind(result), cancellationToken));

        // Only --help overrides parse errors (detect --frobnicate --help shows help); a bare "faceobject" or
        // "faceobject help" shows it too, but "faceobject classify x" stays a usage error.
        var help = new UsageHelpAction(detect.Command, pipeline.Command);
        var helpCommand = new Command("help", "show this help") { Hidden = true };
        helpCommand.SetAction(help.Show);
        var root = new RootCommand(Description) { detect.Command, pipeline.Command, helpCommand };
        root.SetAction(help.Show);
        root.Options.OfType<HelpOption>().Single().Action = help;

        // No response files: an input such as @photo.jpg is a file name, as it always was.
        return root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
    }
}
