namespace FaceObject.Api.Infrastructure.OpenApi;

/// <summary>
/// One content type a route's handler reads by itself (it takes <see cref="HttpRequest"/>, so nothing is bound) and the
/// records that describe that body: one schema, or a choice (oneOf) between several.
/// </summary>
internal sealed record DocumentedBody(string ContentType, params Type[] Schemas);
