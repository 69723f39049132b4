namespace FaceObject.Core.Storage;

/// <summary>What an <c>Idempotency-Key</c> was first used for.</summary>
/// <param name="Fingerprint">A hash of everything that makes the request what it is (kind, model, options, payload bytes).</param>
/// <param name="ResourceId">The task or batch the first request made.</param>
public sealed record IdempotencyClaim(string Fingerprint, string ResourceId);
