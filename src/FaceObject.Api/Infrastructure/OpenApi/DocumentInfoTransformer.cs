using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FaceObject.Api.Infrastructure.OpenApi;

/// <summary>What the document says about itself: title, description, the key schemes, tag descriptions, server URL.</summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Detect"] = "Submit images, videos and batches; each answers 202 with a task (or batch) to follow.",
        ["Batches"] = "Follow a batch: its tasks and their counts by status.",
        ["Tasks"] = "Follow, fetch the output image of, cancel and delete tasks.",
        ["Models"] = "The configured models and what the workers serving them loaded.",
        ["Queues"] = "Queue depth, workers and recent throughput, per model queue.",
        ["Health"] = "Probes for orchestrators.",
        [Endpoints.SeedCompatibilityEndpoints.Tag] = "The Python service's routes (seed 001: /upload, /status/{job_id}, ...) for its clients; each adapts an /api route. Off with Api:SeedRoutes:Enabled=false.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "FaceObject API",
            Version = "v1",
            Description = "Face and object detection as background tasks. Submit an image, a video or a batch; the answer is 202 with a "
                + "task to poll (GET /api/task/{id}, ?wait= long-polls) or a callback when it ends. Every client error is "
                + "application/problem+json saying what was wrong and what is accepted. When the server has Api:Keys or Auth:Jwt, the "
                + "operations marked with a security requirement need a key in X-Api-Key or Authorization: Bearer, or a JWT "
                + "from the configured identity provider in Authorization: Bearer.",
        };

        // Declared only when an operation needs them: a server without Api:Keys has no key to describe.
        var jwt = context.ApplicationServices.GetRequiredService<JwtSettings>();
        var keys = context.ApplicationServices.GetRequiredService<ApiKeys>();
        var secured = document.Paths?.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()).Any(o => o.Security is { Count: > 0 }) == true;
        if (secured && jwt.Enabled)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[SecurityTransformer.Jwt] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"A JWT for audience '{jwt.Audience}' from the server's identity provider (Auth:Jwt), as Authorization: Bearer <token>.",
            };
        }

        if (secured && keys.Enabled)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[SecurityTransformer.ApiKeyHeader] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "One of the server's Api:Keys.",
            };
            document.Components.SecuritySchemes[SecurityTransformer.Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "One of the server's Api:Keys as Authorization: Bearer <key>.",
            };
        }

        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        // The generated server is the request's own origin with a trailing slash, which joins to paths as "//api/...".
        foreach (var server in document.Servers ?? Enumerable.Empty<OpenApiServer>())
        {
            server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";
        }

        return Task.CompletedTask;
    }
}
