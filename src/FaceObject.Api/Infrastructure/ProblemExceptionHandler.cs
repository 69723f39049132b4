using FaceObject.Api.Submissions;
using FaceObject.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// The last line: every exception becomes problem+json with no stack trace. Storage outages are 503 (retry later),
/// malformed or oversized bodies are the client's 4xx, anything else is a logged 500 with a trace id.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            QueueFullException full => (StatusCodes.Status429TooManyRequests, "Queue full", full.Message),
            _ when StorageFaults.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "Storage (tasks, queues or the payload bucket) is not reachable right now; nothing was accepted. Retry in a few seconds."),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Payload too large",
                "The request body is larger than this server accepts; see Api:MaxImageBytes and Api:MaxVideoBytes."),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", "The request could not be read: " + bad.Message),
            InvalidDataException => (StatusCodes.Status400BadRequest, "Bad request", "The multipart body is malformed or a field is too large."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled."),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error",
                "An unexpected error occurred. Quote the trace id when reporting it."),
        };

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogStorageUnavailable(httpContext.TraceIdentifier, exception.InnerException?.Message ?? exception.Message);
        }
        else if (status >= 500)
        {
            LogUnhandled(exception, httpContext.TraceIdentifier);
        }

        httpContext.Response.StatusCode = status;
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = null,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {TraceId} answered 503, storage unavailable: {Reason}")]
    private partial void LogStorageUnavailable(string traceId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for request {TraceId}")]
    private partial void LogUnhandled(Exception exception, string traceId);
}
