using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Infrastructure;

/// <summary>The problem+json answers clients can cause; each says what was wrong and what is accepted.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemHttpResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult TooLarge(string detail) => Create(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);

    public static ProblemHttpResult UnsupportedMedia(string detail) => Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    public static ProblemHttpResult Unprocessable(string detail) => Create(StatusCodes.Status422UnprocessableEntity, "Unprocessable content", detail);

    public static ProblemHttpResult Unavailable(string detail) => Create(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail);

    public static ProblemHttpResult Create(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
