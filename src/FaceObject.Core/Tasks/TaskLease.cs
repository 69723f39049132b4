namespace FaceObject.Core.Tasks;

/// <summary>
/// A worker's claim on a processing task. While it is live (renewed before <see cref="Duration"/> runs out) no other
/// worker starts the task, even when the job queue hands the job out again; once it expires, the next delivery
/// restarts the task, which is how the work of a dead worker is picked up.
/// </summary>
/// <param name="Owner">Unique per job run (host, process and a random part), so two runs in one process differ too.</param>
/// <param name="Duration">How long the claim holds without a renewal.</param>
public sealed record TaskLease(string Owner, TimeSpan Duration);
