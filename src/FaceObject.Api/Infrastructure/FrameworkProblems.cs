namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Problems the framework answers by itself (no such route, a method the route does not take, a Content-Type the
/// endpoint's Accepts metadata rules out) carry a title and no detail. Every problem must say what was wrong and
/// what is accepted, so this fills in a detail where none was given.
/// </summary>
internal static class FrameworkProblems
{
    public static void AddMissingDetail(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound =>
                $"There is no endpoint at {request.Path}; the routes are listed at /docs and /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed =>
                $"{request.Method} is not allowed on {request.Path}; allowed: {context.HttpContext.Response.Headers.Allow}.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{request.Method} {request.Path} does not accept Content-Type '{Shorten(request.ContentType)}'; /openapi/v1.json lists what "
                + "each endpoint takes (an image: multipart/form-data with the field 'file'; an image URL: application/json).",
            _ => null,
        };
    }

    private static string Shorten(string? value) => value is null ? "(none)" : value.Length <= 100 ? value : value[..100] + "…";
}
