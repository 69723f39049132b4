using FaceObject.Processing.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceObject.Worker;

/// <summary>Readiness: every model of the served queues is loaded and warmed up. Publishes <c>models</c>: key and device of each.</summary>
internal sealed class ModelsHealthCheck(LoadedModels models) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(models.IsLoaded
            ? HealthCheckResult.Healthy(data: new Dictionary<string, object>
            {
                ["models"] = models.All.Select(m => new ServedModel(m.Key, m.Info.Device)).ToList(),
            })
            : HealthCheckResult.Unhealthy("The models are still loading."));

    /// <summary>A model this worker serves, and the execution provider (<c>cpu</c> or <c>cuda</c>) that runs it.</summary>
    internal sealed record ServedModel(string Key, string Device);
}
