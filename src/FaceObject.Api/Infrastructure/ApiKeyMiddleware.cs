using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// With <c>Api:Keys</c> set, every <c>/api/*</c> call (and <c>/metrics</c> when <c>Api:MetricsRequireKey</c>) needs a
/// valid key; probes (<c>/livez</c>, <c>/readyz</c>), the page and the dashboard (which has its own check) stay as they are.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys, IOptions<ApiOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!keys.Enabled || !IsProtected(context.Request.Path) || keys.IsValid(ApiKeys.Presented(context.Request)))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = ApiKeys.Presented(context.Request) is null
                    ? "This server requires an API key: send it as the X-Api-Key header or as Authorization: Bearer <key>."
                    : "The API key is not valid.",
            },
        });
    }

    private bool IsProtected(PathString path) =>
        path.StartsWithSegments("/api") || (options.Value.MetricsRequireKey && path.StartsWithSegments("/metrics"));
}
