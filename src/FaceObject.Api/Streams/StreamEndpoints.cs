using FaceObject.Api.Infrastructure;
using FaceObject.Api.Infrastructure.OpenApi;
using FaceObject.Core.Streams;
using FaceObject.SafeHttp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FaceObject.Api.Streams;

/// <summary>Live streams over REST: <c>/api/streams</c>, the latest frame, and events as Server-Sent Events.</summary>
internal static class StreamEndpoints
{
    public static RouteGroupBuilder MapStreamEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/streams").WithTags("Streams");
        group.MapPost("/", CreateAsync)
            .RequireRateLimiting(RateLimiting.SubmitPolicy)
            .WithName("CreateStream")
            .WithSummary("Read a camera (RTSP, HTTP MJPEG or snapshots), detect at fps and track; one stream per camera")
            .Accepts<CreateStreamRequest>(MediaTypes.Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).WithName("ListStreams").WithSummary("Every stream with its state and figures");
        group.MapGet("/{id}", GetAsync).WithName("GetStream").WithSummary("A stream with its state and figures").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteStream").WithSummary("Stop reading a camera").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/frame", GetFrameAsync)
            .WithName("GetStreamFrame")
            .WithSummary("The latest frame as JPEG; ?annotate=true draws boxes and track ids")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/{id}/events", StreamEventsFeed.WriteAsync)
            .WithName("GetStreamEvents")
            .WithSummary("The stream's detections, track events and state changes as Server-Sent Events")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>The Python worker's route for a camera's latest frame, kept for its clients.</summary>
    public static IEndpointConventionBuilder MapCameraImageAlias(this IEndpointRouteBuilder app) =>
        app.MapGet("/camera/{id}/image", GetFrameAsync).WithTags("Streams").WithName("GetCameraImage")
            .WithSummary("Alias of GET /api/streams/{id}/frame (the seed's route)")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound);

    internal static async Task<Results<Created<StreamResource>, Ok<StreamResource>, ProblemHttpResult>> CreateAsync(
        CreateStreamRequest request, StreamRequest requests, StreamOpener opener, OutboundPolicy outbound, CancellationToken cancellationToken)
    {
        if (!StreamRequest.TryParseKind(request.Kind, out var kind, out var kindError))
        {
            return Problems.BadRequest(kindError!);
        }

        if (outbound.CheckSubmittedUrl(request.CallbackUrl, "callback_url") is { } callbackError)
        {
            return Problems.BadRequest(callbackError);
        }

        if (!requests.TryCreate(request.Url, kind, request.Model, request.Fps, [request.CropX1, request.CropY1, request.CropX2, request.CropY2],
                request.StableFrames, request.StableMedianScore, StreamOrigin.Rest, out var spec, out var error,
                request.CallbackUrl is null ? null : new Uri(request.CallbackUrl)))
        {
            return Problems.BadRequest(error!);
        }

        var opening = await opener.OpenAsync(spec!, cancellationToken);
        var resource = StreamResource.From(opening.Stream);
        return opening switch
        {
            { Outcome: StreamAddOutcome.Conflict } => Problems.Conflict(
                $"This camera is already streamed as '{resource.Id}' with model '{resource.Model}' at {resource.Fps} fps (one reader per camera); "
                + "use that stream, or delete it first to change its settings."),
            { Failed: true } => Problems.Unprocessable($"The camera cannot be streamed: {opening.Failure}"),
            { Outcome: StreamAddOutcome.Joined } => TypedResults.Ok(resource),
            _ => TypedResults.Created($"/api/streams/{resource.Id}", resource),
        };
    }

    internal static async Task<Ok<IReadOnlyList<StreamResource>>> ListAsync(IStreamStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<StreamResource>>([.. (await store.ListAsync(cancellationToken)).Select(StreamResource.From)]);

    internal static async Task<Results<Ok<StreamResource>, ProblemHttpResult>> GetAsync(string id, IStreamStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } view ? TypedResults.Ok(StreamResource.From(view)) : UnknownStream(id);

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, IStreamStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : UnknownStream(id);

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFrameAsync(
        string id, bool? annotate, HttpResponse response, IStreamStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } view)
        {
            return UnknownStream(id);
        }

        if (await store.GetFrameAsync(id, annotate == true, cancellationToken) is not { } frame)
        {
            response.Headers.RetryAfter = "1";
            return Problems.Unavailable($"Stream '{id}' has no frame yet (it is {view.Status.State.ToString().ToLowerInvariant()}); try again in a moment.");
        }

        response.Headers.CacheControl = "no-store";
        return TypedResults.File(frame.Jpeg.ToArray(), "image/jpeg", lastModified: frame.CapturedAt);
    }

    internal static ProblemHttpResult UnknownStream(string id) => Problems.NotFound($"No stream '{id}': it never existed or was deleted. GET /api/streams lists them.");
}
