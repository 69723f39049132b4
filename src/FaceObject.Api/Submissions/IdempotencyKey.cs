namespace FaceObject.Api.Submissions;

/// <summary>The <c>Idempotency-Key</c> request header: a client-chosen key that makes retrying a submit safe.</summary>
internal static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set on a submit answer that returns what an earlier request with the same key made.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>
    /// Reads the key: absent is fine (<paramref name="key"/> null). One value of 1 to 255 visible ASCII characters is
    /// accepted, optionally in double quotes (the structured-field form of the IETF draft); anything else is an error.
    /// </summary>
    public static bool TryRead(HttpRequest request, out string? key, out string error)
    {
        key = null;
        error = "";
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return true;
        }

        if (values.Count != 1)
        {
            error = $"Send one {Header} header, not {values.Count}.";
            return false;
        }

        var value = values[0]!.Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        if (value.Length is 0 or > MaxLength || !value.All(c => c is >= '!' and <= '~'))
        {
            error = $"The {Header} header must be 1 to {MaxLength} visible ASCII characters (a UUID is a good choice).";
            return false;
        }

        key = value;
        return true;
    }
}
