using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Fetching;

/// <summary>
/// A task's input bytes: the stored upload, for a task submitted by URL the image fetched now, or for one submitted
/// by <c>image_key</c> the client's object read from the bucket. Fetched bytes are stored under the task's payload
/// key, so a retry or a second step reuses them instead of fetching again.
/// </summary>
internal sealed class TaskInputLoader(
    IPayloadStore payloads, ImageFetcher fetcher, IOptions<TaskOptions> taskOptions, TimeProvider clock, IObjectBucket? bucket = null)
{
    /// <summary>The bytes, or the reason the task can never run (then the caller fails it without retry).</summary>
    /// <param name="task">The started task.</param>
    /// <param name="started">Its payload as the task store read it with the start; null to read it from the payload store here.</param>
    /// <param name="cancellationToken">The run's token.</param>
    /// <exception cref="ImageFetchException">Fetching failed in a way a retry may fix.</exception>
    public async Task<FetchedImage> LoadAsync(TaskRecord task, PayloadRead? started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Source is { } source)
        {
            // Storage faults throw StorageUnavailableException, which Hangfire retries; only a missing object is final.
            return bucket is null
                ? FetchedImage.Refused($"The input is the object '{source.Key}' in bucket '{source.Bucket}', but this worker has no Storage:Kind=s3; configure the workers like the API.")
                : await bucket.GetAsync(source, cancellationToken) is { } read
                    ? FetchedImage.Of(read)
                    : FetchedImage.Refused($"The object '{source.Key}' does not exist in bucket '{source.Bucket}' (it was deleted or never written); put it there and submit again.");
        }

        if (task.PayloadKey is not null && (started is not null ? started.Content : await payloads.GetAsync(task.PayloadKey, cancellationToken)) is { } stored)
        {
            return FetchedImage.Of(stored);
        }

        if (task.SourceUrl is null)
        {
            return FetchedImage.Refused("The uploaded content is no longer stored (it expired or was deleted); submit it again.");
        }

        var fetched = await fetcher.FetchAsync(task.SourceUrl, cancellationToken);
        if (fetched.Content is { } content && task.PayloadKey is { } key)
        {
            // Kept as long as the task record is, not a full TTL from now.
            var left = task.CreatedAt + taskOptions.Value.Ttl - clock.GetUtcNow();
            await payloads.PutAsync(key, content, left > TimeSpan.FromMinutes(1) ? left : TimeSpan.FromMinutes(1), cancellationToken);
        }

        return fetched;
    }
}
