using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FaceObject.Api.Infrastructure.OpenApi;

/// <summary>
/// The request body of a route that reads it itself, from its <see cref="DocumentedBodyMetadata"/>: one entry per
/// content type, whose schema is the record (or a oneOf of the records) describing it, kept in <c>components</c>.
/// </summary>
internal sealed class RequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBodyMetadata>().LastOrDefault();
        if (metadata is null)
        {
            return;
        }

        var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
        foreach (var body in metadata.Bodies)
        {
            var schemas = new List<IOpenApiSchema>();
            foreach (var type in body.Schemas)
            {
                schemas.Add(await ReferenceAsync(type, context, cancellationToken));
            }

            content[body.ContentType] = new OpenApiMediaType
            {
                Schema = schemas.Count == 1 ? schemas[0] : new OpenApiSchema { OneOf = schemas },
            };
        }

        operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
    }

    private static async Task<IOpenApiSchema> ReferenceAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            document.AddComponent(type.Name, schema);
        }

        return new OpenApiSchemaReference(type.Name, document);
    }
}
