using FaceObject.Api.Infrastructure;
using FaceObject.Api.Submissions;
using FaceObject.Core.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// The checks every multipart upload starts with, in the order a client would fix them: the model exists, the
/// Idempotency-Key is well-formed, the body is multipart, and the file field is there.
/// </summary>
internal sealed record UploadForm(IFormCollection Form, IReadOnlyList<IFormFile> Files, string? IdempotencyKey, ProblemHttpResult? Problem)
{
    /// <param name="request">The submit request.</param>
    /// <param name="catalog">The configured models.</param>
    /// <param name="model">The model key from the route.</param>
    /// <param name="field">The multipart field holding the file(s).</param>
    /// <param name="what">What to attach, for messages ("one MP4, ... video").</param>
    /// <param name="cancellationToken">Aborts reading the body.</param>
    public static async Task<UploadForm> ReadAsync(HttpRequest request, ModelCatalog catalog, string model, string field, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        if (!catalog.TryGet(model, out _))
        {
            return Failed(Problems.NotFound($"No model '{model}' is configured. Available models: {string.Join(", ", catalog.Keys)}."));
        }

        if (catalog.NotADetector(model) is { } notADetector)
        {
            return Failed(Problems.BadRequest(notADetector));
        }

        if (!Submissions.IdempotencyKey.TryRead(request, out var key, out var keyError))
        {
            return Failed(Problems.BadRequest(keyError));
        }

        if (!request.HasFormContentType)
        {
            return Failed(Problems.UnsupportedMedia($"Send multipart/form-data with the field '{field}': {what}."));
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var files = form.Files.GetFiles(field);
        return files.Count == 0
            ? Failed(Problems.BadRequest($"The multipart field '{field}' is missing; attach {what} as '{field}'."))
            : new UploadForm(form, files, key, null);
    }

    private static UploadForm Failed(ProblemHttpResult problem) => new(FormCollection.Empty, [], null, problem);
}
