using System.Text.Json;
using System.Threading.Channels;
using FaceObject.Core;
using FaceObject.Core.Streams;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Api.Streams;

/// <summary>
/// <c>GET /api/streams/{id}/events</c>: Server-Sent Events (<c>detection</c>, <c>track</c>, <c>state</c>, <c>deleted</c>) with
/// the same JSON as the rest of the API, the current state first, and a comment every 15 s so proxies keep the
/// connection open. A slow client loses detections (the newest are kept), never track events or states.
/// </summary>
internal static class StreamEventsFeed
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task WriteAsync(string id, HttpContext context, IStreamStore store, IStreamEventBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await store.GetAsync(id, cancellationToken) is not { } view)
        {
            await StreamEndpoints.UnknownStream(id).ExecuteAsync(context);
            return;
        }

        var important = Channel.CreateUnbounded<StreamMessage>();
        var detections = Channel.CreateBounded<StreamMessage>(new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest });
        await using var subscription = await bus.SubscribeAsync(id, message =>
        {
            (message.Kind == StreamMessageKind.Frame ? detections.Writer : important.Writer).TryWrite(message);
            return ValueTask.CompletedTask;
        }, cancellationToken);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await SendAsync(response, StreamMessage.Of(id, view.Status), cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                beat.CancelAfter(Heartbeat);
                var next = await NextAsync(important.Reader, detections.Reader, beat.Token);
                if (next is null)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                await SendAsync(response, next, cancellationToken);
                if (next.Kind == StreamMessageKind.Deleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left.
        }
    }

    /// <summary>The next message, track events and states before detections; null when the heartbeat is due.</summary>
    private static async Task<StreamMessage?> NextAsync(ChannelReader<StreamMessage> important, ChannelReader<StreamMessage> detections, CancellationToken beat)
    {
        while (true)
        {
            if (important.TryRead(out var message) || detections.TryRead(out message))
            {
                return message;
            }

            try
            {
                await Task.WhenAny(important.WaitToReadAsync(beat).AsTask(), detections.WaitToReadAsync(beat).AsTask());
                beat.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private static async Task SendAsync(HttpResponse response, StreamMessage message, CancellationToken cancellationToken)
    {
        var (name, payload) = message.Kind switch
        {
            StreamMessageKind.Frame => ("detection", (object?)message.Frame),
            StreamMessageKind.Track => ("track", message.Track),
            StreamMessageKind.State => ("state", message.State is null ? null : StreamStatusResource.From(message.State)),
            _ => ("deleted", new { stream_id = message.StreamId }),
        };
        await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(payload, FaceObjectJson.Options)}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
