using FaceObject.SafeHttp;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Tests;

/// <summary>The worker's outbound client, set up as a local deployment would be to reach a receiver on 127.0.0.1.</summary>
internal static class LoopbackHttp
{
    /// <summary>With <paramref name="allowLoopback"/> false the default policy applies, which refuses loopback addresses.</summary>
    public static SafeHttpClient Client(bool allowLoopback = true) => new(
        new OutboundPolicy(NetworkAllowList.Parse(allowLoopback ? ["127.0.0.1"] : [], out _)),
        Options.Create(new FetchOptions()));
}
