using FaceObject.Testing;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests;

/// <summary>One real redis-server for the test assembly's Redis tests; each class uses its own key prefix.</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisFixture()
    {
        Server = new RedisServer();
        Connection = ConnectionMultiplexer.Connect(Server.ConnectionString);
    }

    public RedisServer Server { get; }

    public IConnectionMultiplexer Connection { get; }

    public void Dispose()
    {
        Connection.Dispose();
        Server.Dispose();
    }
}
