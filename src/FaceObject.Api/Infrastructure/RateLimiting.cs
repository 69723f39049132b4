using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace FaceObject.Api.Infrastructure;

/// <summary>A token bucket per client on submit endpoints; over the limit answers 429 problem+json with Retry-After.</summary>
internal static class RateLimiting
{
    public const string SubmitPolicy = "submit";

    public static IServiceCollection AddSubmitRateLimiting(this IServiceCollection services, RateLimitOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This client may submit {options.PermitsPerSecond} tasks per second (bursts of {options.Burst}); retry after {retryAfter} s.",
                    },
                });
            };
            limiter.AddPolicy(SubmitPolicy, context => options.PermitsPerSecond == 0
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return services;
    }

    /// <summary>
    /// Clients are told apart by the API key or token subject they were authenticated with, else by address. Never by the header as
    /// sent: a client could then make up a new key per request for a fresh bucket each time. The limiter runs after
    /// authorization, which authenticated the key on endpoints that require one (and refused an invalid one).
    /// </summary>
    internal static string ClientOf(HttpContext context) =>
        CallerIdentity.Of(context) ?? "ip:" + context.Connection.RemoteIpAddress;
}
