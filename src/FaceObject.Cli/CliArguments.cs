namespace FaceObject.Cli;

/// <summary>What the command line asks for. Built only by <see cref="Parse"/>, which reports usage errors as text.</summary>
internal sealed record CliArguments
{
    public const string DefaultServer = "http://localhost:8080";

    public bool Help { get; init; }

    public string Model { get; init; } = "";

    /// <summary>Image files and folders, in the order given.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Urls { get; init; } = [];

    public IReadOnlyList<string> Videos { get; init; } = [];

    public bool Wait { get; init; }

    public bool Json { get; init; }

    public string Server { get; init; } = DefaultServer;

    public string? ApiKey { get; init; }

    /// <summary>Extra options passed to the server as query parameters (score_threshold, annotate, ...).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>Option name (without --) to query parameter, for the server-side options the CLI passes through.</summary>
    private static readonly Dictionary<string, string> ServerOptions = new(StringComparer.Ordinal)
    {
        ["score-threshold"] = "score_threshold",
        ["callback-url"] = "callback_url",
        ["sample-fps"] = "sample_fps",
        ["max-frames"] = "max_frames",
        ["blur-classes"] = "blur_classes",
    };

    private static readonly Dictionary<string, string> ServerFlags = new(StringComparer.Ordinal)
    {
        ["annotate"] = "annotate",
        ["blur"] = "blur",
    };

    /// <summary>Parses <paramref name="args"/>; <paramref name="environment"/> supplies FACEOBJECT_SERVER and FACEOBJECT_API_KEY.</summary>
    public static CliArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        error = null;
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            return new CliArguments { Help = true };
        }

        if (args[0] != "detect")
        {
            error = $"Unknown command '{args[0]}'; the command is 'detect'.";
            return null;
        }

        var positional = new List<string>();
        List<string> urls = [], videos = [];
        var options = new List<KeyValuePair<string, string>>();
        bool wait = false, json = false;
        var server = environment("FACEOBJECT_SERVER") is { Length: > 0 } fromEnv ? fromEnv : DefaultServer;
        var apiKey = environment("FACEOBJECT_API_KEY") is { Length: > 0 } keyFromEnv ? keyFromEnv : null;

        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                if (arg is "-h")
                {
                    return new CliArguments { Help = true };
                }

                positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? inline = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return args[++i];
                }

                return null;
            }

            switch (name)
            {
                case "help":
                    return new CliArguments { Help = true };
                case "wait":
                    wait = true;
                    break;
                case "json":
                    json = true;
                    break;
                case "url" or "video" or "server" or "api-key":
                    if (Value() is not { Length: > 0 } value)
                    {
                        error = $"--{name} needs a value.";
                        return null;
                    }

                    switch (name)
                    {
                        case "url": urls.Add(value); break;
                        case "video": videos.Add(value); break;
                        case "server": server = value; break;
                        default: apiKey = value; break;
                    }

                    break;
                case var flag when ServerFlags.TryGetValue(flag, out var parameter):
                    options.Add(new(parameter, "true"));
                    break;
                case var option when ServerOptions.TryGetValue(option, out var parameter):
                    if (Value() is not { Length: > 0 } optionValue)
                    {
                        error = $"--{name} needs a value.";
                        return null;
                    }

                    options.Add(new(parameter, optionValue));
                    break;
                default:
                    error = $"Unknown option '{arg}'; see faceobject --help.";
                    return null;
            }
        }

        if (positional.Count == 0)
        {
            error = "Name the model: faceobject detect <model> <image or folder>... (for example: faceobject detect face photo.jpg).";
            return null;
        }

        if (positional.Count == 1 && urls.Count == 0 && videos.Count == 0)
        {
            error = "Nothing to detect: give image files or folders, --url URL or --video FILE.";
            return null;
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("http" or "https"))
        {
            error = $"--server must be an http or https URL such as {DefaultServer}; got '{server}'.";
            return null;
        }

        return new CliArguments
        {
            Model = positional[0],
            Paths = positional.Skip(1).ToList(),
            Urls = urls,
            Videos = videos,
            Wait = wait,
            Json = json,
            Server = server.TrimEnd('/'),
            ApiKey = apiKey,
            Options = options,
        };
    }

    public const string HelpText = """
        faceobject: submit images and videos to a FaceObject server and print what it found.

        Usage:
          faceobject detect <model> [<image or folder>...] [--url <URL>]... [--video <file>]... [options]

        Inputs (any mix, each becomes one task):
          <image>                 a JPEG, PNG, WebP or BMP file
          <folder>                every .jpg, .jpeg, .png, .webp and .bmp file in it (not in sub-folders)
          --url <URL>             an image the server fetches (http or https)
          --video <file>          a video (mp4, avi, mkv, webm), posted to /api/detect/<model>/video

        Options:
          --wait                  wait for each task to end and print its result (video progress goes to stderr)
          --json                  print the server's JSON (one document per line) instead of a table
          --server <URL>          the server (default http://localhost:8080, or FACEOBJECT_SERVER)
          --api-key <key>         sent as X-Api-Key (default: FACEOBJECT_API_KEY)
          --score-threshold <n>   minimum confidence, 0 to 1
          --annotate, --blur      ask for an annotated or blurred output image
          --blur-classes <a,b>    classes to blur with an object model
          --callback-url <URL>    the server POSTs each task's JSON there when it ends
          --sample-fps <n>, --max-frames <n>   video sampling
          -h, --help              this text

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
          faceobject detect object --video clip.mp4 --wait
        """;
}
