using System.Globalization;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Submissions;

/// <summary>Reads submit options from form fields, falling back to the query string.</summary>
internal static class DetectionOptionsReader
{
    /// <summary>
    /// Longest text field accepted beside the files. Options are short (the longest is a callback URL); ASP.NET
    /// bounds a multipart text field only by the whole body's limit, so a 10 MB "option" would otherwise pass.
    /// </summary>
    public const int MaxFieldLength = 8 * 1024;

    public static bool TryRead(IFormCollection? form, IQueryCollection query, out DetectionOptions options, out string error)
    {
        if (form?.FirstOrDefault(f => f.Value.Sum(v => v?.Length ?? 0) > MaxFieldLength) is { Key: not null } huge)
        {
            options = new DetectionOptions();
            error = $"The form field '{huge.Key}' holds {huge.Value.Sum(v => v?.Length ?? 0):N0} characters; text fields are options of at most "
                + $"{MaxFieldLength:N0} characters. Send the image itself as the file field 'file'.";
            return false;
        }

        string? Value(string name) =>
            form is not null && form.TryGetValue(name, out var f) && !string.IsNullOrWhiteSpace(f) ? f.ToString()
            : query.TryGetValue(name, out var q) && !string.IsNullOrWhiteSpace(q) ? q.ToString()
            : null;

        options = new DetectionOptions();
        error = "";
        if (!TryBool(Value("annotate"), "annotate", out var annotate, ref error)
            || !TryBool(Value("blur"), "blur", out var blur, ref error))
        {
            return false;
        }

        float? threshold = null;
        if (Value("score_threshold") is { } thresholdText)
        {
            if (!float.TryParse(thresholdText, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || t is < 0 or > 1 || float.IsNaN(t))
            {
                error = $"'score_threshold' must be a number from 0 to 1; got '{thresholdText}'.";
                return false;
            }

            threshold = t;
        }

        var callback = Value("callback_url");
        if (callback is not null && !IsHttp(callback))
        {
            error = $"'callback_url' must be an absolute http or https URL; got '{callback}'.";
            return false;
        }

        // blur_classes alone means blur them; with an explicit blur=false it contradicts itself.
        var blurClasses = Value("blur_classes")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hasBlurClasses = blurClasses is { Length: > 0 };
        if (hasBlurClasses && !blur && Value("blur") is not null)
        {
            error = "'blur_classes' asks for blurring but 'blur' is false; set blur=true or leave 'blur' out.";
            return false;
        }

        options = new DetectionOptions
        {
            Annotate = annotate,
            Blur = blur || hasBlurClasses,
            ScoreThreshold = threshold,
            CallbackUrl = callback,
            BlurClasses = hasBlurClasses ? blurClasses : null,
        };
        return true;
    }

    private static bool IsHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool TryBool(string? text, string name, out bool value, ref string error)
    {
        value = false;
        if (text is null)
        {
            return true;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            case "false" or "0" or "no" or "off":
                return true;
            default:
                error = $"'{name}' must be true or false; got '{text}'.";
                return false;
        }
    }
}
