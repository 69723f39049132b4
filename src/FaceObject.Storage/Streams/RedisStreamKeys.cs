using System.Security.Cryptography;
using System.Text;
using FaceObject.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Streams;

/// <summary>
/// The stream keys, under <see cref="Core.Tasks.TaskOptions.KeyPrefix"/>. Per stream: a hash (<c>spec</c>, <c>status</c>,
/// <c>origin</c>, <c>created</c> in the server's Unix milliseconds), its lease (<c>{owner}|{fence}</c> with a TTL), its fence
/// counter, its subscribers (a sorted set scored by their last refresh) and its latest frame (a hash with a TTL).
/// </summary>
internal sealed class RedisStreamKeys(IOptions<Core.Tasks.TaskOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix;

    public RedisKey Stream(string id) => _prefix + "stream:" + id;

    /// <summary>The lease key of a stream; scripts build it as <see cref="StreamPrefix"/> + id + <c>:lease</c>.</summary>
    public RedisKey Lease(string id) => _prefix + "stream:" + id + ":lease";

    public RedisKey Fence(string id) => _prefix + "stream:" + id + ":fence";

    public RedisKey Subscribers(string id) => _prefix + "stream:" + id + ":subs";

    public RedisKey Frame(string id) => _prefix + "stream:" + id + ":frame";

    public string StreamPrefix => _prefix + "stream:";

    /// <summary>Every stream id, scored by creation time.</summary>
    public RedisKey All => _prefix + "streams";

    /// <summary>The stream reading a camera, by its source key hashed (URLs may be long and hold credentials).</summary>
    public RedisKey Source(string sourceKey) => _prefix + "stream-source:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceKey)));

    public RedisChannel Events(string id) => RedisChannel.Literal(_prefix + "stream-events:" + id);

    /// <summary>Carries a stream id whenever a stream is added, released or deleted.</summary>
    public RedisChannel Changed => RedisChannel.Literal(_prefix + "streams-changed");
}
