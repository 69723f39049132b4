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

    /// <summary>Enqueues the next step of a pipeline run (<see cref="IPipelineJob.AdvanceAsync"/>) on the pipelines queue.</summary>
    string EnqueuePipelineAdvance(string taskId);

    /// <summary>Enqueues one model stage of a pipeline run on its model's queue.</summary>
    string EnqueuePipelineStage(string queue, string taskId, string stage);

    /// <summary>Schedules the timeout of one stage of a pipeline run, <paramref name="delay"/> from now.</summary>
    string SchedulePipelineStageTimeout(string taskId, string stage, TimeSpan delay);

    /// <summary>Deletes a job that has not started; returns false when it has already left the queue.</summary>
    bool TryCancel(string jobId);
}
