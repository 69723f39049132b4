namespace FaceObject.Streaming.Runtime;

/// <summary>A rate over the last few seconds: events counted as they happen, read as events per second. Thread-safe.</summary>
internal sealed class FpsMeter(TimeProvider time, TimeSpan window)
{
    private readonly Lock _lock = new();
    private readonly Queue<long> _ticks = new();

    public void Mark()
    {
        lock (_lock)
        {
            _ticks.Enqueue(time.GetTimestamp());
            Trim();
        }
    }

    public double PerSecond()
    {
        lock (_lock)
        {
            Trim();
            return _ticks.Count / window.TotalSeconds;
        }
    }

    private void Trim()
    {
        var now = time.GetTimestamp();
        while (_ticks.Count > 0 && time.GetElapsedTime(_ticks.Peek(), now) > window)
        {
            _ticks.Dequeue();
        }
    }
}
