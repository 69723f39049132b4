using System.Net;

namespace FaceObject.SafeHttp;

/// <summary>
/// A request was not sent because its host resolves only to addresses the policy refuses. Thrown from the connect
/// step, so it arrives wrapped in an <see cref="System.Net.Http.HttpRequestException"/>; see
/// <see cref="SafeHttpClient.FindRefusal"/>. Permanent: retrying cannot help.
/// </summary>
public sealed class OutboundRefusedException : Exception
{
    public OutboundRefusedException()
    {
    }

    public OutboundRefusedException(string message)
        : base(message)
    {
    }

    public OutboundRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OutboundRefusedException(string host, IPAddress address, AddressCategory category)
        : base(OutboundPolicy.RefusalMessage(host, address, category))
    {
        Host = host;
        Address = address;
        Category = category;
    }

    public string? Host { get; }

    public IPAddress? Address { get; }

    public AddressCategory Category { get; }
}
