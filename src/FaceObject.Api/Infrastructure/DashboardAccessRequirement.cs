using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Who may see the Hangfire dashboard: with <c>Dashboard:Username</c> and <c>Dashboard:Password</c> set, whoever the
/// <see cref="DashboardAuthenticationHandler"/> authenticated (from anywhere); without them, only requests made on
/// this machine and not relayed by a proxy (<see cref="LocalRequest"/>).
/// </summary>
internal sealed class DashboardAccessRequirement : AuthorizationHandler<DashboardAccessRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DashboardAccessRequirement requirement)
    {
        if (context.Resource is HttpContext http)
        {
            var settings = http.RequestServices.GetRequiredService<IOptions<DashboardOptionsSettings>>().Value;
            var allowed = context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == AccessPolicies.DashboardScheme)
                || (!settings.HasCredentials && LocalRequest.IsLocal(http));
            if (allowed)
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
