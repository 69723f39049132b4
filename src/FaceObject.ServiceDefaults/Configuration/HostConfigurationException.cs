namespace FaceObject.ServiceDefaults.Configuration;

/// <summary>
/// A host cannot run with the configuration it was given; the message is the one line an operator sees, naming the
/// setting and how to fix it. Caught only by <see cref="Hosting.FaceObjectHost.Run"/>.
/// </summary>
public sealed class HostConfigurationException : Exception
{
    public HostConfigurationException()
    {
    }

    public HostConfigurationException(string message)
        : base(message)
    {
    }

    public HostConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
