using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Batches;
using FaceObject.Core.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>Batch records as JSON strings that expire with their tasks; written once, never changed.</summary>
internal sealed class RedisBatchStore(IConnectionMultiplexer redis, RedisKeys keys) : IBatchStore
{
    private IDatabase Db => redis.GetDatabase();

    public Task CreateAsync(BatchRecord batch, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var json = JsonSerializer.Serialize(batch, FaceObjectJson.Options);
        return RedisGuard.RunAsync(() => Db.StringSetAsync(keys.Batch(batch.BatchId), json, timeToLive));
    }

    public Task<BatchRecord?> GetAsync(string batchId, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var json = await Db.StringGetAsync(keys.Batch(batchId));
        return json.IsNull ? null : JsonSerializer.Deserialize<BatchRecord>(json.ToString(), FaceObjectJson.Options);
    });
}
