namespace FaceObject.Api.Infrastructure;

/// <summary><c>Dashboard:*</c>.</summary>
internal sealed class DashboardOptionsSettings
{
    public const string Section = "Dashboard";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Viewers may look but not retry or delete jobs.</summary>
    public bool ReadOnly { get; set; }

    public bool HasCredentials => Username.Length > 0 && Password.Length > 0;
}
