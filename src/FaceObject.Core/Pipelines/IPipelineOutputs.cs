namespace FaceObject.Core.Pipelines;

/// <summary>Where the <c>redis_save_image</c> and <c>publish</c> actions write: Redis, shared with the clients that read them.</summary>
public interface IPipelineOutputs
{
    /// <summary>Stores a JPEG under <paramref name="key"/> (overwriting, so a retry writes the same value) with an expiry.</summary>
    Task SaveImageAsync(string key, byte[] jpeg, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Publishes a JSON message on a channel; returns how many subscribers received it.</summary>
    Task<long> PublishAsync(string channel, string json, CancellationToken cancellationToken = default);
}
