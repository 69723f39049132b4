using System.Collections.Concurrent;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;

namespace FaceObject.Storage.Memory;

/// <summary>Model reports of the processing running in this process (the all-in-one mode).</summary>
internal sealed class InMemoryModelReportStore(TimeProvider clock) : IModelReportStore
{
    private readonly ConcurrentDictionary<(string Model, string Server), (ModelReport Report, DateTimeOffset ExpiresAt)> _reports = new();

    public Task PublishAsync(ModelReport report, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        _reports[(report.Model, report.Server)] = (report, clock.GetUtcNow() + timeToLive);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string model, string server, CancellationToken cancellationToken = default)
    {
        _reports.TryRemove((model, server), out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ModelReport>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<ModelReport> live = _reports.Values.Where(e => e.ExpiresAt > now).Select(e => e.Report).ToList();
        return Task.FromResult(live);
    }
}
