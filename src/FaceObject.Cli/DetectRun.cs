namespace FaceObject.Cli;

/// <summary>Runs a well-formed <c>detect</c> command and returns its exit code (see <see cref="ExitCodes"/>).</summary>
internal delegate Task<int> DetectRun(CliArguments arguments, CancellationToken cancellationToken);
