using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceObject.Cli;

/// <summary>The few HTTP calls the CLI makes. Every failure becomes a <see cref="ServerException"/> with its exit code.</summary>
internal sealed class ApiClient(HttpClient http)
{
    /// <summary>Each long poll asks the server to hold the answer this long.</summary>
    private const string LongPoll = "5s";

    /// <summary>The submit route for a model's <paramref name="kind"/> (image or video), or a pipeline's image route.</summary>
    public static string SubmitPath(CliArguments arguments, string kind) => arguments.RunsPipeline
        ? $"/api/pipelines/{Uri.EscapeDataString(arguments.Model)}/image"
        : $"/api/detect/{Uri.EscapeDataString(arguments.Model)}/{kind}";

    public Task<JsonObject> SubmitFileAsync(string submitPath, string path, string query, CancellationToken cancellationToken)
    {
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { { file, "file", Path.GetFileName(path) } };
        return SendAsync(HttpMethod.Post, submitPath + query, form, cancellationToken);
    }

    public Task<JsonObject> SubmitUrlAsync(string submitPath, string url, string query, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["image_url"] = url }.ToJsonString();
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        return SendAsync(HttpMethod.Post, submitPath + query, content, cancellationToken);
    }

    /// <summary>Long-polls until the task ends; <paramref name="onProgress"/> sees each state while it runs.</summary>
    /// <param name="unknownFor">
    /// How long an unknown task is waited for rather than reported: a task published to a broker exists only once the
    /// server has taken its message, which can be after the first poll. Zero for a task the server already accepted.
    /// </param>
    public async Task<JsonObject> WaitAsync(string taskId, Action<JsonObject> onProgress, CancellationToken cancellationToken, TimeSpan unknownFor = default)
    {
        var unknownUntil = DateTime.UtcNow + unknownFor;
        while (true)
        {
            JsonObject task;
            try
            {
                task = await SendAsync(HttpMethod.Get, $"/api/task/{Uri.EscapeDataString(taskId)}?wait={LongPoll}", null, cancellationToken);
            }
            catch (ServerException e) when (e.HttpStatus == 404 && DateTime.UtcNow < unknownUntil)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                continue;
            }

            if (task["status"]?.GetValue<string>() is "completed" or "failed" or "cancelled")
            {
                return task;
            }

            onProgress(task);
        }
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServerException(ExitCodes.ServerError,
                $"cannot reach the server at {http.BaseAddress}: {e.Message} (is it running? set --server or FACEOBJECT_SERVER).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerException(ExitCodes.ServerError, $"the server at {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s.");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode && TryParseObject(text) is { } body)
            {
                return body;
            }

            var code = status is >= 400 and < 500 ? ExitCodes.Rejected : ExitCodes.ServerError;
            throw new ServerException(code, $"the server answered {status} {response.ReasonPhrase}: {ProblemText(text)}", status);
        }
    }

    /// <summary>The problem's title and detail (RFC 9457), or the body itself when it is not a problem document.</summary>
    private static string ProblemText(string body)
    {
        if (TryParseObject(body) is { } problem && problem["detail"] is JsonValue detail)
        {
            return detail.GetValue<string>();
        }

        return string.IsNullOrWhiteSpace(body) ? "(no details)" : body.Trim();
    }

    private static JsonObject? TryParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The query string of server-side options, e.g. <c>?score_threshold=0.5&amp;annotate=true</c>.</summary>
    public static string Query(IEnumerable<KeyValuePair<string, string>> options)
    {
        var parts = options.Select(o => Uri.EscapeDataString(o.Key) + "=" + Uri.EscapeDataString(o.Value)).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
