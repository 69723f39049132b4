namespace FaceObject.Api.Infrastructure.OpenApi;

internal static class DocumentedBodyExtensions
{
    /// <summary>The route takes these bodies, which its handler reads itself; see <see cref="DocumentedBodyMetadata"/>.</summary>
    public static RouteHandlerBuilder AcceptsDocumented(this RouteHandlerBuilder builder, params DocumentedBody[] bodies) =>
        builder.WithMetadata(new DocumentedBodyMetadata(bodies));
}
