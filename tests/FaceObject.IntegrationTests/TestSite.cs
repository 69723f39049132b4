using System.Collections.Concurrent;
using FaceObject.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FaceObject.IntegrationTests;

/// <summary>
/// What the local HTTP server serves to the API under test: images and failures to fetch, and webhook receivers.
/// Oversized bodies are 2,100,000 bytes, over the 2,000,000 the fixtures set as Api:MaxImageBytes.
/// </summary>
internal static class TestSite
{
    public const int OversizedBytes = 2_100_000;

    public static void Map(WebApplication app, LocalHttpServer server)
    {
        var dog = TestPaths.ImageBytes("dog.jpg");
        app.MapGet("/images/dog.jpg", () => Results.Bytes(dog, "image/jpeg"));

        // Served as image/jpeg on purpose: the worker must look at the bytes, not at the Content-Type.
        app.MapGet("/images/notes.jpg", () => Results.Bytes("these are my notes, not a photo"u8.ToArray(), "image/jpeg"));
        app.MapGet("/images/missing.jpg", () => Results.NotFound());
        app.MapGet("/images/moved.jpg", () => Results.Redirect("/images/dog.jpg"));
        app.MapGet("/images/moved-away.jpg", () => Results.Redirect($"http://127.0.0.2:{server.Port}/images/dog.jpg"));
        app.MapGet("/images/slow.jpg", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return Results.Bytes(dog, "image/jpeg");
        });
        app.MapGet("/images/huge.jpg", async (HttpContext context) =>
        {
            // Chunked, no Content-Length: only counting what is read can stop it.
            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(dog, context.RequestAborted);
            var filler = new byte[64 * 1024];
            for (var sent = dog.Length; sent < OversizedBytes; sent += filler.Length)
            {
                await context.Response.Body.WriteAsync(filler, context.RequestAborted);
            }
        });
        app.MapGet("/images/huge-declared.jpg", () =>
        {
            var body = new byte[OversizedBytes];
            dog.CopyTo(body, 0);
            return Results.Bytes(body, "image/jpeg");
        });

        var calls = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        app.MapGet("/images/flaky/{id}.jpg", (string id) =>
            calls.AddOrUpdate("image:" + id, 1, (_, n) => n + 1) == 1 ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Bytes(dog, "image/jpeg"));
        app.MapPost("/hooks/ok/{id}", () => Results.Ok());
        app.MapPost("/hooks/fail/{id}", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
        app.MapPost("/hooks/flaky/{id}", (string id) =>
            calls.AddOrUpdate(id, 1, (_, n) => n + 1) <= 2 ? Results.StatusCode(StatusCodes.Status500InternalServerError) : Results.Ok());
    }
}
