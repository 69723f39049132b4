namespace FaceObject.Core.Tasks;

/// <summary>What <see cref="Storage.ITaskStore.TryStartAsync"/> did, with what it read in the same step.</summary>
/// <param name="Outcome">Whether this attempt may run the task.</param>
/// <param name="Task">The record as started (processing, its attempt counted); set only when <paramref name="Outcome"/> is <see cref="StartOutcome.Started"/>.</param>
/// <param name="Payload">
/// The task's stored upload, read with the start by a task store that holds the payloads too (Redis records with
/// <c>Storage:Kind=redis</c>); null when it was not read there, and then the payload store is asked as before.
/// </param>
public sealed record TaskStart(StartOutcome Outcome, TaskRecord? Task = null, PayloadRead? Payload = null);

/// <summary>A payload as read under its key.</summary>
/// <param name="Content">The bytes (owned by the reader); null when nothing is stored under the key (it expired, was deleted, or was never written).</param>
public sealed record PayloadRead(byte[]? Content);
