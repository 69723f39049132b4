using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Who may call what. With <c>Api:Keys</c> or <c>Auth:Jwt</c> set, the API's route groups (and <c>/metrics</c> with
/// <c>Api:MetricsRequireKey</c>) require a key or a token through <see cref="RequireApiKey{TBuilder}"/>; without
/// either they stay open. Probes, the page, <c>/docs</c> and <c>/openapi</c> never need one. The dashboard has its own
/// policy. A bearer that has the shape of a JWT (and is not one of the keys) goes to the JWT handler, everything else
/// to the key handler: one <see cref="CallerScheme"/> that forwards to either.
/// </summary>
internal static class AccessPolicies
{
    public const string ApiKeyScheme = "ApiKey";

    public const string ApiKeyPolicy = "ApiKey";

    public const string JwtScheme = "Jwt";

    /// <summary>The scheme the API's policies name: forwards each request to <see cref="JwtScheme"/> or <see cref="ApiKeyScheme"/>.</summary>
    public const string CallerScheme = "Caller";

    /// <summary>Cancelling or deleting a task: any key, or a token with <c>Auth:Jwt:DeleteRole</c> when that is set.</summary>
    public const string DeleteTasksPolicy = "DeleteTasks";

    public const string DashboardScheme = "Dashboard";

    public const string DashboardPolicy = "Dashboard";

    public static IServiceCollection AddFaceObjectAccess(this IServiceCollection services, IEnumerable<string> keys, JwtSettings? jwt = null)
    {
        jwt ??= new JwtSettings();
        jwt.Validate();
        var apiKeys = new ApiKeys(keys);
        services.AddSingleton(apiKeys);
        services.AddSingleton(jwt);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, DashboardAuthenticationHandler>(DashboardScheme, null)
            .AddPolicyScheme(CallerScheme, "API key or JWT", options => options.ForwardDefaultSelector = context =>
                PresentsToken(context.Request, apiKeys, jwt) ? JwtScheme : ApiKeyScheme)
            .AddFaceObjectJwt(jwt);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyPolicy, policy => policy.AddAuthenticationSchemes(CallerScheme).RequireAuthenticatedUser())
            .AddPolicy(DeleteTasksPolicy, policy => policy.AddAuthenticationSchemes(CallerScheme).RequireAuthenticatedUser()
                .AddRequirements(new JwtRoleRequirement(jwt.DeleteRole)))
            .AddPolicy(DashboardPolicy, policy => policy.AddAuthenticationSchemes(DashboardScheme).AddRequirements(new DashboardAccessRequirement()));
        services.AddSingleton<IAuthorizationHandler, DashboardAccessRequirement>();
        return services;
    }

    /// <summary>
    /// Requires a valid API key or token on these endpoints when <c>Api:Keys</c> or <c>Auth:Jwt</c> is set (and
    /// declares the 401 it answers otherwise); with neither the endpoints stay open, and the OpenAPI document says so.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, bool when = true)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (when && IsEnabled(endpoint.ApplicationServices))
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(ApiKeyPolicy));
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]));
            }
        });
        return builder;
    }

    /// <summary>Cancelling and deleting need <c>Auth:Jwt:DeleteRole</c> from a token when that is set (and declares the 403).</summary>
    public static TBuilder RequireDeleteRole<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint.ApplicationServices.GetRequiredService<JwtSettings>() is { Enabled: true, DeleteRole.Length: > 0 })
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(DeleteTasksPolicy));
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), ["application/problem+json"]));
            }
        });
        return builder;
    }

    /// <summary>
    /// Whether the request is to be checked as a token: tokens are on, the bearer has a JWT's shape and is not one of
    /// the keys, and no X-Api-Key came with it (a key sent beside a token decides alone, as it did before tokens).
    /// </summary>
    public static bool PresentsToken(HttpRequest request, ApiKeys keys, JwtSettings jwt) =>
        jwt.Enabled && !request.Headers.ContainsKey("X-Api-Key") && JwtSettings.LooksLikeJwt(request) && !keys.IsValid(ApiKeys.Presented(request));

    private static bool IsEnabled(IServiceProvider services) =>
        services.GetRequiredService<ApiKeys>().Enabled || services.GetRequiredService<JwtSettings>().Enabled;
}
