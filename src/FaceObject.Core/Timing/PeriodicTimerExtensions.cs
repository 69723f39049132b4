namespace FaceObject.Core.Timing;

public static class PeriodicTimerExtensions
{
    /// <summary>
    /// Waits for the next tick; false once <paramref name="stoppingToken"/> is cancelled instead of throwing. A background
    /// service's loop then ends quietly however the host stops: a host that fails to start cancels its services while
    /// disposing them, and an <see cref="OperationCanceledException"/> from there is logged as a crashed service.
    /// </summary>
    public static async ValueTask<bool> WaitForNextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
