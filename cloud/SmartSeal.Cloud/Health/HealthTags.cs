namespace SmartSeal.Cloud.Health;

public static class HealthTags
{
    /// <summary>Checks that decide readiness (database, broker); liveness runs none.</summary>
    public const string Ready = "ready";
}
