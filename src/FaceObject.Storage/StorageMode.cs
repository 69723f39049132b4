namespace FaceObject.Storage;

/// <summary>Where tasks, payloads and Hangfire's queues live.</summary>
public enum StorageMode
{
    /// <summary>All in this process: the embedded, all-in-one default.</summary>
    Memory,

    /// <summary>Shared through Redis by the API and separate workers.</summary>
    Redis,
}

/// <summary>The storage mode chosen at start, as a service.</summary>
public sealed record StorageInfo(StorageMode Mode);
