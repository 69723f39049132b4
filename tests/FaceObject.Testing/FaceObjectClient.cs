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

    /// <summary>
    /// Polls (plain GETs, no long poll) until the task has <paramref name="status"/>, so a test can act at that
    /// moment, e.g. kill the worker running it. Fails if the task ends in another state first.
    /// </summary>
    public async Task<JsonObject> WaitForStatusAsync(string taskId, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonObject? task = null;
        while (DateTime.UtcNow < deadline)
        {
            task = await GetTaskAsync(taskId) ?? throw new InvalidOperationException($"Task {taskId} is unknown.");
            var current = task["status"]!.GetValue<string>();
            if (current == status)
            {
                return task;
            }

            if (current is "completed" or "failed" or "cancelled")
            {
                throw new InvalidOperationException($"Task {taskId} ended ({current}) before it was seen '{status}': {task.ToJsonString()}");
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Task {taskId} was not '{status}' within {timeout}; last seen: {task?.ToJsonString()}");
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
