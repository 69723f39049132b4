using System.Globalization;
using System.Text.Json;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Primitives;

namespace FaceObject.Api.Submissions;

/// <summary>
/// The JSON body of an image submit by URL: <c>{"image_url": "...", "score_threshold": 0.4, "annotate": true,
/// "blur": true, "blur_classes": ["person"], "callback_url": "..."}</c>. Options are validated by the same
/// <see cref="DetectionOptionsReader"/> as form fields (JSON values first, then the query string); fields it does
/// not know are ignored, as unknown form fields are.
/// </summary>
internal static class ImageUrlRequestReader
{
    /// <summary>Far more than any such body needs; a bigger one is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const string Example = """{"image_url": "https://example.com/photo.jpg"}""";

    public static bool TryRead(JsonElement body, IQueryCollection query, out string imageUrl, out DetectionOptions options, out string error)
    {
        imageUrl = "";
        options = new DetectionOptions();
        if (!TryReadFields(body, Example, out var fields, out error))
        {
            return false;
        }

        if (!fields.TryGetValue("image_url", out var url) || StringValues.IsNullOrEmpty(url))
        {
            error = $"The JSON body has no 'image_url'; send e.g. {Example}, an object's 'image_key' (with Storage:Kind=s3), or the image itself as multipart/form-data with the field 'file'.";
            return false;
        }

        imageUrl = url.ToString();
        return DetectionOptionsReader.TryRead(fields, query, out options, out error);
    }

    /// <summary>
    /// The body's fields as form fields (lists joined with commas), so options in a JSON submit are read and refused
    /// exactly as in a form. <paramref name="example"/> is quoted when the body is not an object.
    /// </summary>
    public static bool TryReadFields(JsonElement body, string example, out FormCollection fields, out string error)
    {
        fields = FormCollection.Empty;
        error = "";
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = $"The JSON body must be an object such as {example}.";
            return false;
        }

        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!TryText(property.Value, out var text))
            {
                error = $"'{property.Name}' must be a string, number, boolean or list of strings; got a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}.";
                return false;
            }

            values[property.Name] = text;
        }

        fields = new FormCollection(values);
        return true;
    }

    /// <summary>Reads at most <see cref="MaxBodyBytes"/>; null when the body is longer.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool TryText(JsonElement value, out StringValues text)
    {
        text = StringValues.Empty;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString();
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                text = value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
                return true;
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                text = string.Join(',', value.EnumerateArray().Select(e => e.GetString()));
                return true;
            default:
                return false;
        }
    }
}
