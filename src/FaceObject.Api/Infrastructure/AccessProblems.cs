using Microsoft.AspNetCore.Mvc;

namespace FaceObject.Api.Infrastructure;

/// <summary>The problem+json body of an authentication challenge (401) or refusal (403).</summary>
internal static class AccessProblems
{
    public static async Task WriteAsync(IProblemDetailsService problems, HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden",
                Detail = detail,
            },
        });
    }
}
