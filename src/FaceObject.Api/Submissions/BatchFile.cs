namespace FaceObject.Api.Submissions;

/// <summary>One file of a batch upload: its bytes when it passed the checks, otherwise why it was refused.</summary>
internal sealed record BatchFile(string? FileName, byte[]? Content, UploadProblem? Problem)
{
    public bool IsAccepted => Problem is null && Content is not null;
}
