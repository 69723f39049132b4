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

    /// <summary>Runs a pipeline on an uploaded image (<c>POST /api/pipelines/{name}/image</c>).</summary>
    public Task<HttpResponseMessage> SubmitPipelineAsync(string pipeline, byte[] bytes, string fileName = "image.jpg", string query = "") =>
        Http.PostAsync(new Uri($"/api/pipelines/{pipeline}/image{query}", UriKind.Relative), FileContent(bytes, fileName));

    /// <summary>Runs a pipeline and returns the task id, failing with the body when the answer is not 202.</summary>
    public async Task<string> SubmitPipelineExpectingAcceptedAsync(string pipeline, byte[] bytes, string fileName = "image.jpg")
    {
        using var response = await SubmitPipelineAsync(pipeline, bytes, fileName);
        return await ReadTaskIdOf202Async(response);
    }

    /// <summary>Submits and returns the task id, failing with the body when the answer is not 202.</summary>
    public async Task<string> SubmitImageExpectingAcceptedAsync(string model, byte[] bytes, string fileName = "image.jpg", string query = "")
    {
        using var response = await SubmitImageAsync(model, bytes, fileName, query);
        return await ReadTaskIdOf202Async(response);
    }

    private static async Task<string> ReadTaskIdOf202Async(HttpResponseMessage response)
    {
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

    /// <summary>The output image of a task (<c>GET /api/task/{id}/image</c>), failing with the body unless it is a 200 JPEG.</summary>
    public async Task<byte[]> GetTaskImageAsync(string taskId)
    {
        using var response = await Http.GetAsync(new Uri($"/api/task/{taskId}/image", UriKind.Relative));
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "image/jpeg")
        {
            throw new InvalidOperationException(
                $"Expected 200 image/jpeg, got {(int)response.StatusCode} {response.Content.Headers.ContentType}: {await response.Content.ReadAsStringAsync()}");
        }

        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary><c>GET /api/models</c>, keyed by model key.</summary>
    public async Task<Dictionary<string, JsonObject>> GetModelsAsync()
    {
        var models = await Http.GetFromJsonAsync<JsonArray>(new Uri("/api/models", UriKind.Relative));
        return models!.Select(m => m!.AsObject()).ToDictionary(m => m["key"]!.GetValue<string>());
    }

    /// <summary>Polls <c>GET /api/models</c> until <paramref name="key"/> is served (its processes report it), or fails after <paramref name="timeout"/>.</summary>
    public async Task<JsonObject> WaitForModelServedAsync(string key, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonObject? model = null;
        while (DateTime.UtcNow < deadline)
        {
            model = (await GetModelsAsync())[key];
            if (model["served"]!.GetValue<bool>())
            {
                return model;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Model {key} was not served within {timeout}; last seen: {model?.ToJsonString()}");
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

    /// <summary>Posts a multipart body to <paramref name="path"/>, with an Idempotency-Key header when one is given.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SubmitVideoAsync(string model, byte[] bytes, string fileName = "video.mp4", string query = "", string? idempotencyKey = null) =>
        PostAsync($"/api/detect/{model}/video{query}", FileContent(bytes, fileName, "video/mp4"), idempotencyKey);

    /// <summary>Submits several files as repeated 'files' parts of one batch.</summary>
    public Task<HttpResponseMessage> SubmitBatchAsync(string model, IEnumerable<(byte[] Bytes, string FileName)> files, string query = "", string? idempotencyKey = null)
    {
        var content = new MultipartFormDataContent();
        foreach (var (bytes, fileName) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "files", fileName);
        }

        return PostAsync($"/api/detect/{model}/batch{query}", content, idempotencyKey);
    }

    /// <summary>The JSON body of an answer that must be 202, failing with the body otherwise.</summary>
    public static async Task<JsonObject> ReadAcceptedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return (int)response.StatusCode == 202
            ? JsonNode.Parse(body)!.AsObject()
            : throw new InvalidOperationException($"Expected 202, got {(int)response.StatusCode}: {body}");
    }

    /// <summary>GET <paramref name="path"/> as JSON; null on 404, an exception on any other failure.</summary>
    public async Task<JsonNode?> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => Http.Dispose();
}
