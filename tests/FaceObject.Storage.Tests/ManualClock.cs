namespace FaceObject.Storage.Tests;

/// <summary>A clock the test moves by hand, for TTLs of the in-memory stores.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
