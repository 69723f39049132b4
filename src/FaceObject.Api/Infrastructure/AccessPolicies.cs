using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Who may call what. With <c>Api:Keys</c> set, the API's route groups (and <c>/metrics</c> with
/// <c>Api:MetricsRequireKey</c>) require a key through <see cref="RequireApiKey{TBuilder}"/>; without keys they stay
/// open. Probes, the page, <c>/docs</c> and <c>/openapi</c> never need one. The dashboard has its own policy.
/// </summary>
internal static class AccessPolicies
{
    public const string ApiKeyScheme = "ApiKey";

    public const string ApiKeyPolicy = "ApiKey";

    public const string DashboardScheme = "Dashboard";

    public const string DashboardPolicy = "Dashboard";

    public static IServiceCollection AddFaceObjectAccess(this IServiceCollection services, IEnumerable<string> keys)
    {
        services.AddSingleton(new ApiKeys(keys));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, DashboardAuthenticationHandler>(DashboardScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyScheme).RequireAuthenticatedUser())
            .AddPolicy(DashboardPolicy, policy => policy.AddAuthenticationSchemes(DashboardScheme).AddRequirements(new DashboardAccessRequirement()));
        services.AddSingleton<IAuthorizationHandler, DashboardAccessRequirement>();
        return services;
    }

    /// <summary>
    /// Requires a valid API key on these endpoints when <c>Api:Keys</c> is set (and declares the 401 it answers
    /// otherwise); with no keys configured the endpoints stay open, and the OpenAPI document says so.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, bool when = true)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (when && endpoint.ApplicationServices.GetRequiredService<ApiKeys>().Enabled)
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(ApiKeyPolicy));
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]));
            }
        });
        return builder;
    }
}
