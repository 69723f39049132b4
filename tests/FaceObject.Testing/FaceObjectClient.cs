using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceObject.Testing;

/// <summary>A small HTTP client for the tests: submit, poll, read problems. Speaks only the public HTTP API.</summary>
public sealed class FaceObjectClient(string baseUrl) : IDisposable
{
    public HttpClient Http { get; } = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(90) };

    public static MultipartFormDataContent FileContent(byte[] bytes, string fileName, string contentType = "image/jpeg", string field = "file")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    public Task<HttpResponseMessage> SubmitImageAsync(string model, byte[] bytes, string fileName = "image.jpg", string query = "") =>
        Http.PostAsync(new Uri($"/api/detect/{model}/image{query}", UriKind.Relative), FileContent(bytes, fileName));

    /// <summary>Submits and returns the task id, failing with the body when the answer is not 202.</summary>
    public async Task<string> SubmitImageExpectingAcceptedAsync(string model, byte[] bytes, string fileName = "image.jpg", string query = "")
    {
        using var response = await SubmitImageAsync(model, bytes, fileName, query);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"Expected 202, got {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!["task_id"]!.GetValue<string>();
    }

    /// <summary>POSTs <c>{"image_url": url, ...extra}</c> as JSON to the image endpoint.</summary>
    public Task<HttpResponseMessage> SubmitImageUrlAsync(string model, string url, JsonObject? extra = null)
    {
        var body = new JsonObject { ["image_url"] = url };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return Http.PostAsync(new Uri($"/api/detect/{model}/image", UriKind.Relative),
            new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
    }

    /// <summary>Submits an image URL and returns the task id, failing with the body when the answer is not 202.</summary>
    public async Task<string> SubmitImageUrlExpectingAcceptedAsync(string model, string url, JsonObject? extra = null)
    {
        using var response = await SubmitImageUrlAsync(model, url, extra);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"Expected 202, got {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!["task_id"]!.GetValue<string>();
    }

    /// <summary>Polls until the task's callback is no longer pending (delivered or failed), or <paramref name="timeout"/> passes.</summary>
    public async Task<JsonObject> WaitForCallbackAsync(string taskId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonObject? task = null;
        while (DateTime.UtcNow < deadline)
        {
            task = await GetTaskAsync(taskId) ?? throw new InvalidOperationException($"Task {taskId} is unknown.");
            if (task["callback"]?["status"]?.GetValue<string>() is "delivered" or "failed")
            {
                return task;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The callback of task {taskId} was still pending after {timeout}; last seen: {task?.ToJsonString()}");
    }

    public async Task<JsonObject?> GetTaskAsync(string taskId, string wait = "")
    {
        using var response = await Http.GetAsync(new Uri($"/api/task/{taskId}{(wait.Length > 0 ? "?wait=" + wait : "")}", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Long-polls until the task ends (completed, failed or cancelled) or <paramref name="timeout"/> passes.</summary>
    public async Task<JsonObject> WaitForEndAsync(string taskId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonObject? task = null;
        while (DateTime.UtcNow < deadline)
        {
            task = await GetTaskAsync(taskId, "5s") ?? throw new InvalidOperationException($"Task {taskId} is unknown.");
            if (task["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled")
            {
                return task;
            }
        }

        throw new TimeoutException($"Task {taskId} did not end within {timeout}; last seen: {task?.ToJsonString()}");
    }

    public static IReadOnlyList<string> ClassNames(JsonObject task) =>
        task["result"]!["detections"]!.AsArray().Select(d => d!["class_name"]!.GetValue<string>()).ToList();

    public static async Task<JsonObject> ReadProblemAsync(HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != "application/problem+json")
        {
            throw new InvalidOperationException($"Expected application/problem+json, got '{mediaType}': {await response.Content.ReadAsStringAsync()}");
        }

        return JsonSerializer.Deserialize<JsonObject>(await response.Content.ReadAsStringAsync())!;
    }

    public void Dispose() => Http.Dispose();
}
