namespace FaceObject.Api.Infrastructure.OpenApi;

/// <summary>The request content types the submit routes take.</summary>
internal static class MediaTypes
{
    public const string Multipart = "multipart/form-data";

    public const string Json = "application/json";
}
