using System.Text.Json;
using FaceObject.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// One audit event per state-changing call: who (key id, token subject or dashboard user, never a secret), from
/// where, what, which task and how it ended. Written as JSON lines to its own sink (<see cref="AuditOptions"/>), apart
/// from the application log, so it can be kept and shipped on its own terms.
/// </summary>
internal sealed partial class AuditLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextWriter? _writer;
    private readonly ILogger _logger;
    private readonly string _sink;

    public AuditLog(IOptions<AuditOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _logger = loggers.CreateLogger("FaceObject.Audit");
        _sink = options.Value.Sink.ToLowerInvariant();
        _writer = _sink switch
        {
            "log" or "off" => null,
            "stdout" => Console.Out,
            "file" => new StreamWriter(new FileStream(options.Value.Path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true },
            _ => throw new HostConfigurationException($"Audit:Sink is '{options.Value.Sink}'; it accepts log, stdout, file (with Audit:Path) or off."),
        };
    }

    public void Record(AuditEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_sink == "off")
        {
            return;
        }

        var line = JsonSerializer.Serialize(entry, AuditJson.Default.AuditEvent);
        if (_writer is null)
        {
            Logged(_logger, line);
            return;
        }

        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        if (_sink == "file")
        {
            _writer?.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Audit}")]
    private static partial void Logged(ILogger logger, string audit);
}

/// <summary>What one audit line holds.</summary>
internal sealed record AuditEvent(DateTimeOffset Time, string Action, string Identity, string? Client, string? TaskId, int Status, string Outcome);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AuditEvent))]
internal sealed partial class AuditJson : System.Text.Json.Serialization.JsonSerializerContext;
