using FaceObject.Api.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Streams;

/// <summary>
/// The WebSocket at <c>/ws</c>, and at <c>/</c> for the Python worker's clients: a WebSocket upgrade on <c>/</c> is routed
/// here, while a plain GET of <c>/</c> stays the try-it page.
/// </summary>
internal static class StreamSocketEndpoint
{
    public const string Path = "/ws";

    /// <summary>Sends WebSocket upgrades of <c>/</c> to <see cref="Path"/>; must run before the try-it page's default-file rewrite.</summary>
    public static WebApplication UseRootWebSocket(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest && context.Request.Path == "/")
            {
                context.Request.Path = Path;
            }

            return next(context);
        });
        return app;
    }

    public static IEndpointConventionBuilder MapStreamSocket(this IEndpointRouteBuilder app) =>
        app.Map(Path, AcceptAsync).WithTags("Streams").ExcludeFromDescription().RequireApiKey();

    private static async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.BadRequest("This is the streams WebSocket: connect with a WebSocket client (ws://host/ws); messages are described in docs/streams.md.")
                .ExecuteAsync(context);
            return;
        }

        var ping = context.RequestServices.GetRequiredService<IOptions<StreamApiOptions>>().Value.WebSocketPing;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = ping, KeepAliveTimeout = ping * 3 });
        var session = ActivatorUtilities.CreateInstance<StreamSocketSession>(context.RequestServices, socket);
        await session.RunAsync(context.RequestAborted);
    }
}
