namespace FaceObject.Cli;

/// <summary>A request did not get the answer it needed; <see cref="ExitCode"/> says whose fault that was.</summary>
internal sealed class ServerException : Exception
{
    public ServerException()
    {
    }

    public ServerException(string message)
        : base(message)
    {
    }

    public ServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServerException(int exitCode, string message, int? httpStatus = null)
        : base(message)
    {
        ExitCode = exitCode;
        HttpStatus = httpStatus;
    }

    public int ExitCode { get; } = ExitCodes.ServerError;

    /// <summary>The server's HTTP status, when it answered.</summary>
    public int? HttpStatus { get; }
}
