using FaceObject.Core.Storage;
using FaceObject.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace FaceObject.ServiceDefaults.Health;

/// <summary>
/// Readiness: the shared storage (Redis, and the bucket with <c>Storage:Kind=s3</c>) answers right now. Publishes
/// <c>storage</c> (what is used, e.g. <c>redis+s3</c>) and <c>storage_reachable</c> in the probe's body.
/// </summary>
internal sealed class StorageHealthCheck(IServiceProvider services, StorageInfo info) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reachable = await IsReachableAsync(cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["storage"] = info.Describe(),
            ["storage_reachable"] = reachable,
        };
        return reachable
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy("Storage is not reachable.", data: data);
    }

    private async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        if (info.Payloads == PayloadStorageKind.S3
            && !await services.GetRequiredService<IObjectBucket>().IsReachableAsync(cancellationToken))
        {
            return false;
        }

        if (info.Mode == StorageMode.Memory)
        {
            return true;
        }

        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        if (!redis.IsConnected)
        {
            return false;
        }

        try
        {
            await redis.GetDatabase().PingAsync();
            return true;
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            return false;
        }
    }
}
