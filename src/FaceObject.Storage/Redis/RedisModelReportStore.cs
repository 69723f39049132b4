using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>
/// Each report is a JSON string with its own Redis TTL, so a dead host's report expires in Redis itself (no clock
/// comparison between machines). A set indexes the report keys, because SCAN over a keyspace full of tasks would be
/// slow; members whose key has expired are removed when read.
/// </summary>
internal sealed class RedisModelReportStore(IConnectionMultiplexer redis, RedisKeys keys) : IModelReportStore
{
    private IDatabase Db => redis.GetDatabase();

    public Task PublishAsync(ModelReport report, TimeSpan timeToLive, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(report);
        var key = keys.ModelReport(report.Model, report.Server);
        var transaction = Db.CreateTransaction();
        _ = transaction.StringSetAsync(key, JsonSerializer.Serialize(report, FaceObjectJson.Options), timeToLive);
        _ = transaction.SetAddAsync(keys.ModelReports, key.ToString());

        // The index outlives no report: when every host is gone it expires too.
        _ = transaction.KeyExpireAsync(keys.ModelReports, timeToLive);
        await transaction.ExecuteAsync();
    });

    public Task RemoveAsync(string model, string server, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var key = keys.ModelReport(model, server);
        var transaction = Db.CreateTransaction();
        _ = transaction.KeyDeleteAsync(key);
        _ = transaction.SetRemoveAsync(keys.ModelReports, key.ToString());
        await transaction.ExecuteAsync();
    });

    public Task<IReadOnlyList<ModelReport>> GetAllAsync(CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var members = await Db.SetMembersAsync(keys.ModelReports);
        if (members.Length == 0)
        {
            return (IReadOnlyList<ModelReport>)[];
        }

        var values = await Db.StringGetAsync(members.Select(m => (RedisKey)m.ToString()).ToArray());
        var reports = new List<ModelReport>(values.Length);
        var expired = new List<RedisValue>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                expired.Add(members[i]);
            }
            else if (JsonSerializer.Deserialize<ModelReport>(values[i].ToString(), FaceObjectJson.Options) is { } report)
            {
                reports.Add(report);
            }
        }

        if (expired.Count > 0)
        {
            await Db.SetRemoveAsync(keys.ModelReports, [.. expired]);
        }

        return (IReadOnlyList<ModelReport>)reports;
    });
}
