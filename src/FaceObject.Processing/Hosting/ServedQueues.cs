namespace FaceObject.Processing.Hosting;

/// <summary>
/// The model queues this process serves (callbacks are served by every processing host that serves a queue), and
/// whether it loads every configured model regardless (a stream worker, which may be given a stream of any model).
/// </summary>
public sealed record ServedQueues(IReadOnlyList<string> ModelQueues, bool AllModels = false);
