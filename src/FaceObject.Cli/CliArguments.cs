namespace FaceObject.Cli;

/// <summary>What a well-formed <c>faceobject detect</c> (or <c>pipeline</c>) command line asks for; bound by <see cref="DetectCommandLine"/>.</summary>
internal sealed record CliArguments
{
    /// <summary>The model to run, or the pipeline when <see cref="RunsPipeline"/>.</summary>
    public string Model { get; init; } = "";

    /// <summary><c>faceobject pipeline</c>: <see cref="Model"/> names a pipeline.</summary>
    public bool RunsPipeline { get; init; }

    /// <summary>Image files and folders, in the order given.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Urls { get; init; } = [];

    public IReadOnlyList<string> Videos { get; init; } = [];

    public bool Wait { get; init; }

    public bool Json { get; init; }

    /// <summary>The server's base URL without a trailing slash.</summary>
    public string Server { get; init; } = DetectCommandLine.DefaultServer;

    public string? ApiKey { get; init; }

    /// <summary>Options passed to the server as query parameters (score_threshold, annotate, ...), only those given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>How tasks are submitted: <see cref="Transports.Http"/>, <see cref="Transports.RedisStream"/> or <see cref="Transports.Amqp"/>.</summary>
    public string Via { get; init; } = Transports.Http;

    /// <summary>The broker's URL, for a transport other than HTTP.</summary>
    public string? Broker { get; init; }
}
