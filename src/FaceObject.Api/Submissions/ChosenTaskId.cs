using System.Buffers;

namespace FaceObject.Api.Submissions;

/// <summary>
/// A task id the producer chose (a message's <c>task_id</c>), carried on the request the ingestion hands to the submit
/// handler so a message takes the same path as an HTTP submit. HTTP clients cannot set it: no header or field reads it.
/// </summary>
internal sealed class ChosenTaskId(string value)
{
    /// <summary>Longest id accepted: it is part of Redis keys and of <c>/api/task/{id}</c>.</summary>
    public const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    public string Value { get; } = value;

    /// <summary>What an id may hold: 1 to 128 letters, digits, '-', '_', '.' or ':' (safe in keys, URLs and logs).</summary>
    public const string Accepted = "1 to 128 letters, digits, '-', '_', '.' or ':'";

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The id set on <paramref name="request"/> by the ingestion, or null (every HTTP submit).</summary>
    public static string? Of(HttpRequest request) => request.HttpContext.Features.Get<ChosenTaskId>()?.Value;
}
