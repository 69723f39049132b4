using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FaceObject.Api.Infrastructure.OpenApi;

/// <summary>
/// Each operation's <c>security</c>, read from the endpoint's authorization metadata: the API-key schemes where
/// <see cref="AccessPolicies.RequireApiKey{TBuilder}"/> put the key policy, and an explicit empty list (no key
/// needed) everywhere else, so the document follows the code whether or not the server has keys.
/// </summary>
internal sealed class SecurityTransformer : IOpenApiOperationTransformer
{
    public const string ApiKeyHeader = "ApiKey";

    public const string Bearer = "Bearer";

    public const string Jwt = "Jwt";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var needsKey = context.Description.ActionDescriptor.EndpointMetadata
            .OfType<IAuthorizeData>()
            .Any(a => a.Policy == AccessPolicies.ApiKeyPolicy);

        // Any scheme will do: one requirement each. Keys and tokens are each declared only when the server has them.
        operation.Security = [];
        if (needsKey)
        {
            if (context.ApplicationServices.GetRequiredService<ApiKeys>().Enabled)
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHeader, context.Document)] = [] });
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
            }

            if (context.ApplicationServices.GetRequiredService<JwtSettings>().Enabled)
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Jwt, context.Document)] = [] });
            }
        }
        return Task.CompletedTask;
    }
}
