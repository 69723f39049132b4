using Microsoft.AspNetCore.Http.Metadata;

namespace FaceObject.Api.Infrastructure.OpenApi;

/// <summary>
/// The bodies a route accepts. As <see cref="IAcceptsMetadata"/> it lets routing refuse any other Content-Type with a
/// 415 before the handler runs; <see cref="RequestBodyTransformer"/> writes the same list into the OpenAPI document, a
/// schema per content type, so the document cannot claim a body the route refuses.
/// </summary>
internal sealed class DocumentedBodyMetadata(IReadOnlyList<DocumentedBody> bodies) : IAcceptsMetadata
{
    public IReadOnlyList<DocumentedBody> Bodies { get; } = bodies;

    public IReadOnlyList<string> ContentTypes { get; } = bodies.Select(b => b.ContentType).ToArray();

    // ApiExplorer needs some type to describe a body with; RequestBodyTransformer replaces what it makes of it.
    public Type? RequestType => typeof(object);

    public bool IsOptional => false;
}
