namespace FaceObject.Cli;

/// <summary>The process exit codes, documented in <c>--help</c>. With several inputs the largest code of any wins.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A task ended failed or cancelled (with --wait), or vanished while waited for.</summary>
    public const int TaskFailed = 1;

    /// <summary>The command line is wrong; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, timed out or answered 5xx.</summary>
    public const int ServerError = 3;

    /// <summary>The server refused the request (4xx): its problem detail is printed.</summary>
    public const int Rejected = 4;
}
