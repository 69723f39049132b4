using FaceObject.Core.Models;

namespace FaceObject.Core.Storage;

/// <summary>
/// Live <see cref="ModelReport"/>s of the processing hosts, one per model and server. A report lives for the TTL
/// it was published with, so a host that dies drops out by itself; hosts re-publish well within it. Thread-safe.
/// </summary>
public interface IModelReportStore
{
    /// <summary>Stores or replaces the report of (<see cref="ModelReport.Model"/>, <see cref="ModelReport.Server"/>).</summary>
    Task PublishAsync(ModelReport report, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes a report at once, e.g. when its host stops.</summary>
    Task RemoveAsync(string model, string server, CancellationToken cancellationToken = default);

    /// <summary>Every report whose TTL has not run out, in no particular order.</summary>
    Task<IReadOnlyList<ModelReport>> GetAllAsync(CancellationToken cancellationToken = default);
}
