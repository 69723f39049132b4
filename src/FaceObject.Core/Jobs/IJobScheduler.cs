namespace FaceObject.Core.Jobs;

/// <summary>Puts jobs on queues. The API enqueues through this and never needs the inference code.</summary>
public interface IJobScheduler
{
    /// <summary>Enqueues the detection job of a task on the given queue and returns the Hangfire job id.</summary>
    string EnqueueDetection(string queue, string taskId);

    /// <summary>Enqueues the callback delivery of an ended task on the callbacks queue and returns the Hangfire job id.</summary>
    string EnqueueCallback(string taskId);

    /// <summary>Enqueues the delivery of one live-stream event (its JSON) to the stream's callback URL, on the callbacks queue.</summary>
    string EnqueueStreamCallback(string streamId, string eventName, Uri url, string body);

    /// <summary>Deletes a job that has not started; returns false when it has already left the queue.</summary>
    bool TryCancel(string jobId);
}
