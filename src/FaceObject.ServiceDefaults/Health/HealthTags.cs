namespace FaceObject.ServiceDefaults.Health;

/// <summary>Which probe a health check belongs to: <c>/livez</c> (restart me if failing) or <c>/readyz</c> (send me work).</summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}
