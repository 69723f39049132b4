namespace FaceObject.Core.Tasks;

/// <summary>What <see cref="Storage.ITaskStore.TryStartAsync"/> did, with the record it left, read in the same step.</summary>
/// <param name="Outcome">Whether this attempt may run the task.</param>
/// <param name="Task">The record as started (processing, its attempt counted); set only when <paramref name="Outcome"/> is <see cref="StartOutcome.Started"/>.</param>
public sealed record TaskStart(StartOutcome Outcome, TaskRecord? Task = null);
