namespace FaceObject.Storage;

/// <summary>Where task records and Hangfire's queues live.</summary>
public enum StorageMode
{
    /// <summary>All in this process: the embedded, all-in-one default.</summary>
    Memory,

    /// <summary>Shared through Redis by the API and separate workers.</summary>
    Redis,
}

/// <summary>Where payload bytes (uploads, output images, result documents) live: <c>Storage:Kind</c>.</summary>
public enum PayloadStorageKind
{
    /// <summary>Process memory: only with <see cref="StorageMode.Memory"/>, since other processes cannot read it.</summary>
    Memory,

    /// <summary>Redis strings with the task's TTL.</summary>
    Redis,

    /// <summary>An S3-compatible bucket shared by the API and the workers (<c>Storage:S3:*</c>).</summary>
    S3,
}

/// <summary>The storage chosen at start, as a service.</summary>
public sealed record StorageInfo(StorageMode Mode, PayloadStorageKind Payloads = PayloadStorageKind.Memory)
{
    /// <summary>For probes: <c>memory</c>, <c>redis</c>, or the task store and payload kind when they differ (<c>redis+s3</c>).</summary>
    public string Describe()
    {
        var mode = Mode.ToString().ToLowerInvariant();
        var payloads = Payloads.ToString().ToLowerInvariant();
        return mode == payloads ? mode : mode + "+" + payloads;
    }
}
