namespace FaceObject.Cli;

/// <summary>The ways <c>faceobject detect</c> submits (<c>--via</c>) and the broker URLs each takes.</summary>
internal static class Transports
{
    public const string Http = "http";
    public const string RedisStream = "redis-stream";
    public const string Amqp = "amqp";

    public static string Example(string transport) =>
        transport == Amqp ? "amqp://user:password@localhost:5672/" : "redis://localhost:6379";

    public static bool IsBrokerUrl(string transport, string url) => transport switch
    {
        Amqp => Uri.TryCreate(url, UriKind.Absolute, out var amqp) && amqp.Scheme is "amqp" or "amqps" && amqp.Host.Length > 0,
        _ => url.Contains("://", StringComparison.Ordinal)
            ? Uri.TryCreate(url, UriKind.Absolute, out var redis) && redis.Scheme is "redis" or "rediss" && redis.Host.Length > 0
            : url.Length > 0 && !url.Any(char.IsWhiteSpace),
    };
}
