namespace FaceObject.Core.Jobs;

/// <summary>One queue right now, over all live servers.</summary>
/// <param name="Queue">The queue name.</param>
/// <param name="Enqueued">Jobs waiting to be fetched.</param>
/// <param name="Processing">Jobs fetched by a worker and not yet finished.</param>
/// <param name="Servers">Live servers (processes, one server per queue each) serving the queue; 0 means nothing will run its jobs.</param>
/// <param name="Workers">Worker threads of those servers together.</param>
public sealed record QueueLoad(string Queue, long Enqueued, long Processing, int Servers, int Workers);
