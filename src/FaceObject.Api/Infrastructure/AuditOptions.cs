namespace FaceObject.Api.Infrastructure;

/// <summary><c>Audit:*</c>: where the audit trail of state-changing calls goes.</summary>
internal sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary><c>log</c> (the application log, category FaceObject.Audit), <c>stdout</c> (JSON lines), <c>file</c> (JSON lines appended to <see cref="Path"/>) or <c>off</c>.</summary>
    public string Sink { get; set; } = "log";

    /// <summary>The file <c>file</c> appends to.</summary>
    public string Path { get; set; } = "audit.log";
}
