using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace FaceObject.Cli;

/// <summary>
/// <c>faceobject detect</c>: its arguments and options, the checks that make a command line a usage error (exit code
/// 2, nothing sent), and the <see cref="CliArguments"/> a valid one binds to. Built for one command line, because
/// two checks need the raw <paramref name="args"/>: System.CommandLine takes an unknown <c>--option</c> for an input
/// and leaves <c>--annotate=maybe</c> as <c>--annotate</c> plus an input called <c>maybe</c>.
/// </summary>
internal sealed class DetectCommandLine
{
    public const string DefaultServer = "http://localhost:8080";

    private readonly IReadOnlyList<string> args;
    private readonly Func<string, string?> environment;

    private readonly Argument<string> model;

    private readonly Argument<string[]> paths = new("inputs")
    {
        Arity = ArgumentArity.ZeroOrMore,
        DefaultValueFactory = _ => [], // with a default, its validator runs when no input is given too
        Description = "a JPEG, PNG, WebP or BMP file, or a folder: every .jpg, .jpeg, .png, .webp and .bmp file in it "
            + "(not in sub-folders). Each image becomes one task. A name starting with '-' goes after '--'.",
    };

    private readonly Option<string[]> urls = new("--url")
    {
        HelpName = "URL",
        Arity = ArgumentArity.OneOrMore,
        Description = "an image the server fetches (http or https); repeatable",
    };

    private readonly Option<string[]> videos = new("--video")
    {
        HelpName = "file",
        Arity = ArgumentArity.OneOrMore,
        Description = "a video (mp4, avi, mkv, webm), posted to /api/detect/<model>/video; repeatable",
    };

    private readonly Option<bool> wait = new("--wait") { Description = "wait for each task to end and print its result (video progress goes to stderr)" };

    private readonly Option<bool> json = new("--json") { Description = "print the server's JSON (one document per line) instead of a table" };

    private readonly Option<string> server = new("--server") { HelpName = "URL", Description = $"the server (default: FACEOBJECT_SERVER, else {DefaultServer})" };

    // No DefaultValueFactory from FACEOBJECT_API_KEY: help prints default values, and would print the key.
    private readonly Option<string> apiKey = new("--api-key") { HelpName = "key", Description = "sent as X-Api-Key (default: FACEOBJECT_API_KEY)" };

    private readonly Option<double?> scoreThreshold = new("--score-threshold")
    {
        HelpName = "0-1",
        Description = "minimum confidence, from 0 to 1",
        CustomParser = OptionChecks.Number<double>("--score-threshold", "a number from 0 to 1", v => v is >= 0 and <= 1),
    };

    private readonly Option<bool> annotate = new("--annotate") { Description = "ask for an annotated output image (--annotate=false: do not)" };

    private readonly Option<bool> blur = new("--blur") { Description = "ask for a blurred output image (--blur=false: do not)" };

    private readonly Option<string> blurClasses = new("--blur-classes") { HelpName = "a,b", Description = "classes to blur with an object model (implies --blur)" };

    private readonly Option<string> callbackUrl = new("--callback-url") { HelpName = "URL", Description = "the server POSTs each task's JSON there when it ends" };

    // The limits the API documents for sample_fps (docs/api.md); max_frames' upper limit is the server's setting.
    private readonly Option<string> via = new("--via")
    {
        HelpName = "http|redis-stream|amqp",
        DefaultValueFactory = _ => Transports.Http,
        Description = "how to submit: the HTTP API (default), or a message on the server's Redis ingest stream or RabbitMQ queue (docs/messages.md); --wait still follows tasks over HTTP",
    };

    private readonly Option<string> broker = new("--broker")
    {
        HelpName = "URL",
        Description = "the broker for --via (default: FACEOBJECT_BROKER): redis://[:password@]host:port[/db] or host:port, amqp://user:password@host:5672/",
    };

    private readonly Option<double?> sampleFps = new("--sample-fps")
    {
        HelpName = "n",
        Description = "video frames per second to run the model on, above 0 and at most 30 (server default 2)",
        CustomParser = OptionChecks.Number<double>("--sample-fps", "a number above 0 and at most 30", v => v is > 0 and <= 30),
    };

    private readonly Option<int?> maxFrames = new("--max-frames")
    {
        HelpName = "n",
        Description = "stop a video after this many sampled frames, 1 or more (server default 300)",
        CustomParser = OptionChecks.Number<int>("--max-frames", "a whole number from 1", v => v >= 1),
    };

    private readonly bool runsPipeline;

    /// <param name="runsPipeline">
    /// Builds <c>faceobject pipeline NAME ...</c> instead: each image runs a pipeline (seed 002's <c>submit_job.py
    /// --pipeline</c>), whose models' settings come from its definition, so of the detect options only the inputs,
    /// <c>--callback-url</c>, <c>--via</c> and how to wait and print remain.
    /// </param>
    public DetectCommandLine(IReadOnlyList<string> args, Func<string, string?> environment, bool runsPipeline = false)
    {
        this.args = args;
        this.environment = environment;
        this.runsPipeline = runsPipeline;
        model = runsPipeline
            ? new("pipeline") { Description = "the pipeline to run, such as blur-and-detect (GET /api/pipelines lists them)" }
            : new("model") { Description = "the model to run, such as face or object (GET /api/models lists them)" };
        server.Validators.Add(OptionChecks.NotEmpty);
        apiKey.Validators.Add(OptionChecks.NotEmpty);
        blurClasses.Validators.Add(OptionChecks.NotEmpty);
        videos.Validators.Add(OptionChecks.NotEmpty);
        via.AcceptOnlyFromAmong(Transports.Http, Transports.RedisStream, Transports.Amqp);
        urls.Validators.Add(OptionChecks.HttpUrls);
        callbackUrl.Validators.Add(OptionChecks.HttpUrls);
        blurClasses.Validators.Add(ValidateBlurClasses);
        paths.Validators.Add(ValidateInputs);
        foreach (var flag in new[] { wait, json, annotate, blur })
        {
            flag.Validators.Add(ValidateFlag);
        }

        Command = runsPipeline
            ? new Command("pipeline", "Run a pipeline on images, folders and image URLs (one task each); with --wait, print what it found.")
            {
                model, paths, urls, wait, json, server, apiKey, callbackUrl, via, broker,
            }
            : new Command("detect", "Submit images, folders, image URLs and videos (one task each); with --wait, print what was found.")
            {
                model, paths, urls, videos, wait, json, server, apiKey, scoreThreshold, annotate, blur, blurClasses, callbackUrl, sampleFps, maxFrames, via, broker,
            };
    }

    public Command Command { get; }

    /// <summary>The arguments of a command line that parsed without errors.</summary>
    public CliArguments Bind(ParseResult result)
    {
        var options = new List<KeyValuePair<string, string>>();
        AddIfGiven(result, options, "score_threshold", scoreThreshold, v => v!.Value.ToString(CultureInfo.InvariantCulture));
        AddIfGiven(result, options, "annotate", annotate, v => v ? "true" : "false");
        AddIfGiven(result, options, "blur", blur, v => v ? "true" : "false");
        AddIfGiven(result, options, "blur_classes", blurClasses, v => v!);
        AddIfGiven(result, options, "callback_url", callbackUrl, v => v!);
        AddIfGiven(result, options, "sample_fps", sampleFps, v => v!.Value.ToString(CultureInfo.InvariantCulture));
        AddIfGiven(result, options, "max_frames", maxFrames, v => v!.Value.ToString(CultureInfo.InvariantCulture));

        return new CliArguments
        {
            Model = result.GetRequiredValue(model),
            RunsPipeline = runsPipeline,
            Paths = result.GetValue(paths) ?? [],
            Urls = result.GetValue(urls) ?? [],
            Videos = result.GetValue(videos) ?? [],
            Wait = result.GetValue(wait),
            Json = result.GetValue(json),
            Server = ServerUrl(result.GetValue(server)).TrimEnd('/'),
            ApiKey = result.GetValue(apiKey) ?? NonEmpty(environment("FACEOBJECT_API_KEY")),
            Options = options,
            Via = result.GetValue(via) ?? Transports.Http,
            Broker = NonEmpty(result.GetValue(broker)) ?? NonEmpty(environment("FACEOBJECT_BROKER")),
        };
    }

    /// <summary>
    /// The checks of the command line as a whole, on the inputs argument rather than the command: System.CommandLine
    /// stops validating options and arguments once a command validator reports an error, and their messages (a
    /// missing value, a number out of range) are the ones to show.
    /// </summary>
    private void ValidateInputs(ArgumentResult result)
    {
        var beforeDoubleDash = args.TakeWhile(a => a != "--").ToHashSet(StringComparer.Ordinal);
        foreach (var input in result.Tokens.Select(t => t.Value).Where(v => v.StartsWith('-') && beforeDoubleDash.Contains(v)))
        {
            result.AddError($"Unknown option '{input}'. (An input whose name starts with '-' goes after '--'.)");
        }

        // Without a model, or with --url or --video lacking its value, System.CommandLine's message is the clearer one.
        if (result.Tokens.Count == 0 && result.GetResult(model) is { Tokens.Count: > 0 } && result.GetResult(urls) is null && result.GetResult(videos) is null)
        {
            result.AddError(runsPipeline
                ? "Nothing to run the pipeline on: give image files or folders, or --url URL."
                : "Nothing to detect: give image files or folders, --url URL or --video FILE.");
        }

        ValidateTransport(result);
        var serverUrl = ServerUrl(result.GetResult(server)?.Tokens is [.., var token] ? token.Value : null);
        if (!OptionChecks.IsHttpUrl(serverUrl))
        {
            result.AddError($"--server (or FACEOBJECT_SERVER) must be an http or https URL such as {DefaultServer}; got '{serverUrl}'.");
        }
    }

    /// <summary>A broker transport needs a broker URL of its kind, and carries images and URLs only.</summary>
    private void ValidateTransport(ArgumentResult result)
    {
        var transport = result.GetResult(via)?.Tokens is [.., var viaToken] ? viaToken.Value : Transports.Http;
        if (transport == Transports.Http)
        {
            return;
        }

        var url = NonEmpty(result.GetResult(broker)?.Tokens is [.., var token] ? token.Value : null) ?? NonEmpty(environment("FACEOBJECT_BROKER"));
        if (url is null)
        {
            result.AddError($"--via {transport} needs --broker URL (or FACEOBJECT_BROKER), e.g. {Transports.Example(transport)}.");
        }
        else if (!Transports.IsBrokerUrl(transport, url))
        {
            result.AddError($"--broker for --via {transport} must look like {Transports.Example(transport)}; got '{url}'.");
        }

        if (result.GetResult(videos) is { Tokens.Count: > 0 })
        {
            result.AddError($"--video goes over HTTP only; leave out --via {transport} to submit videos.");
        }
    }

    /// <summary>Refuses <c>--flag=value</c> with a value other than true or false, which System.CommandLine would take for an input.</summary>
    private void ValidateFlag(OptionResult result)
    {
        var name = result.Option.Name;
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.Length > name.Length && arg.StartsWith(name, StringComparison.Ordinal) && arg[name.Length] is '=' or ':'
                && !bool.TryParse(arg[(name.Length + 1)..], out _))
            {
                result.AddError($"{name} takes true or false; got '{arg[(name.Length + 1)..]}'.");
            }
        }
    }

    private void ValidateBlurClasses(OptionResult result)
    {
        if (Given(result.GetResult(blur)) && !result.GetValue(blur))
        {
            result.AddError("--blur-classes asks for blurring but --blur is false; leave out one of them.");
        }
    }

    private string ServerUrl(string? given) => NonEmpty(given) ?? NonEmpty(environment("FACEOBJECT_SERVER")) ?? DefaultServer;

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Whether the option was on the command line, rather than an implicit result carrying its default.</summary>
    private static bool Given(OptionResult? result) => result is { Implicit: false };

    private static void AddIfGiven<T>(ParseResult result, List<KeyValuePair<string, string>> options, string parameter, Option<T> option, Func<T, string> format)
    {
        if (Given(result.GetResult(option)))
        {
            options.Add(new(parameter, format(result.GetValue(option)!)));
        }
    }
}
