using Microsoft.AspNetCore.Authorization;

namespace FaceObject.Api.Infrastructure;

/// <summary>A token must carry <paramref name="role"/> (as a role or a scope) when one is configured; keys always pass.</summary>
internal sealed class JwtRoleRequirement(string role) : AuthorizationHandler<JwtRoleRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, JwtRoleRequirement requirement)
    {
        if (JwtSettings.Grants(context.User, role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
