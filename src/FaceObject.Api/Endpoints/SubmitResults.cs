using FaceObject.Api.Infrastructure;
using FaceObject.Api.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary>The answer to a submit, with or without an <c>Idempotency-Key</c>: 202 for new and replayed work, a problem when the key cannot be honoured.</summary>
internal static class SubmitResults
{
    public static Results<Accepted<TBody>, ProblemHttpResult> From<T, TBody>(
        HttpResponse response, Idempotent<T> submitted, Func<T, string> location, Func<T, TBody> body)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(submitted);
        switch (submitted.Outcome)
        {
            case IdempotentOutcome.KeyReused:
                return Problems.Unprocessable(
                    $"This {IdempotencyKey.Header} was already used for a different request (another file, model or options). " +
                    "Send exactly the same request to get its result again, or use a new key for new work.");
            case IdempotentOutcome.NotFound:
                return Problems.Conflict(
                    $"What the first request with this {IdempotencyKey.Header} made cannot be found: it is still being accepted " +
                    "(retry in a moment), or it failed or was deleted (use a new key to submit again).");
            case IdempotentOutcome.Replayed:
                response.Headers[IdempotencyKey.ReplayedHeader] = "true";
                break;
        }

        var value = submitted.Value!;
        return TypedResults.Accepted(location(value), body(value));
    }

    public static Results<Accepted<TaskAccepted>, ProblemHttpResult> Task(HttpResponse response, Idempotent<FaceObject.Core.Tasks.TaskRecord> submitted) =>
        From(response, submitted, t => TaskEndpoints.StatusUrl(t.TaskId), TaskAccepted.From);
}
