namespace FaceObject.Api.Infrastructure.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c>: the document ASP.NET Core builds from the endpoints, completed from their metadata (who
/// needs a key, which bodies a route reads itself) so it passes Redocly's <c>recommended</c> ruleset
/// (tests/FaceObject.Web.Tests/openapi-lint.test.js).
/// </summary>
internal static class OpenApiRegistration
{
    public static IServiceCollection AddFaceObjectOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<DocumentInfoTransformer>();
            options.AddOperationTransformer<SecurityTransformer>();
            options.AddOperationTransformer<RequestBodyTransformer>();
        });
}
