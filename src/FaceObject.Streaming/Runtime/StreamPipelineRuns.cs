using System.Globalization;
using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Results;
using FaceObject.Core.Storage;
using FaceObject.Core.Streams;
using FaceObject.Core.Tasks;
using FaceObject.Inference.Rendering;
using FaceObject.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mat = OpenCvSharp.Mat;

namespace FaceObject.Streaming.Runtime;

/// <summary>One pipeline run a stream started: its task, the track it is about, and the session it carries.</summary>
internal sealed record StartedRun(string TaskId, string Pipeline, int TrackId, string? SessionId);

/// <summary>
/// Starts a pipeline stream's runs: one per track when it becomes stable (the tracker's <c>new</c> event, once per
/// track, never per frame), for the classes the pipeline's detect stage expects. The run is a pipeline task like one
/// from the API, except that the stream has already detected: its frame is the input, its tracked box is the detect
/// stage's result, and its context carries <c>camera_id</c> (the stream id), <c>track_id</c> and the
/// <c>session_id</c> a follower set. The rest (branches, actions, the end) runs on the queues as usual.
/// </summary>
internal sealed partial class StreamPipelineRuns(
    PipelineCatalog pipelines,
    ITaskIntake intake,
    ITaskStore tasks,
    IPipelineRunStore runs,
    IJobScheduler scheduler,
    IStreamStore streams,
    IOptions<TaskOptions> taskOptions,
    TimeProvider time,
    ILogger<StreamPipelineRuns> logger)
{
    public async Task<IReadOnlyList<StartedRun>> StartAsync(StreamSpec spec, Mat frame, TrackerUpdate update, CancellationToken cancellationToken)
    {
        if (spec.Pipeline is not { } name || !pipelines.TryGet(name, out var definition) || definition.Detect is not { } detect)
        {
            return [];
        }

        var stable = update.Events
            .Where(e => e.Kind == TrackEventKind.New && (detect.ExpectedClasses.Count == 0 || detect.ExpectedClasses.Contains(e.ClassName)))
            .ToList();
        if (stable.Count == 0)
        {
            return [];
        }

        var jpeg = DetectionRenderer.EncodeJpeg(frame);
        var session = await streams.GetSessionAsync(spec.Id, cancellationToken);
        var started = new List<StartedRun>();
        foreach (var track in stable)
        {
            var detection = update.Tracked.FirstOrDefault(t => t.TrackId == track.TrackId)?.Detection
                ?? new Detection(-1, track.ClassName, track.BestScore, track.Box, track.TrackId);
            var taskId = Guid.CreateVersion7().ToString();
            await StartOneAsync(spec, name, definition, taskId, jpeg, new ImageSize(frame.Width, frame.Height), detection with { TrackId = track.TrackId }, session,
                cancellationToken);
            started.Add(new StartedRun(taskId, name, track.TrackId, session));
            LogStarted(spec.Id, name, track.TrackId, track.ClassName, taskId);
        }

        return started;
    }

    private async Task StartOneAsync(StreamSpec spec, string name, PipelineDefinition definition, string taskId, byte[] jpeg, ImageSize size,
        Detection detection, string? session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ttl = taskOptions.Value.Ttl;
        var task = new TaskRecord
        {
            TaskId = taskId,
            Model = name,
            Queue = QueueNames.Pipelines,
            Kind = TaskKind.Pipeline,
            CreatedAt = now,
            PayloadKey = PayloadKeys.Original(taskId, "jpg"),
            FileName = $"{spec.Id}-track-{detection.TrackId}.jpg",
        };
        await intake.CreateAsync(task, jpeg, ttl, cancellationToken);

        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["camera_id"] = spec.Id,
            ["track_id"] = detection.TrackId!.Value.ToString(CultureInfo.InvariantCulture),
            ["timestamp"] = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };
        if (session is not null)
        {
            context["session_id"] = session;
        }

        await runs.CreateAsync(new PipelineRun { TaskId = taskId, Pipeline = name, Definition = definition, Context = context }, ttl, cancellationToken);
        await runs.BeginStepAsync(taskId, 0, [.. PipelinePlan.Steps(definition)[0].Select(stage => TrackedStage(stage, definition, detection, size, now))], cancellationToken);
        var jobId = scheduler.EnqueuePipelineAdvance(taskId);
        await tasks.SetJobIdAsync(taskId, jobId, cancellationToken);
    }

    /// <summary>Step 0 as the stream did it: <c>detect</c> is the tracked detection; a <c>blur</c> stage is skipped (streams do not blur).</summary>
    private static StageState TrackedStage(string stage, PipelineDefinition definition, Detection detection, ImageSize size, DateTimeOffset now)
    {
        var model = PipelinePlan.ModelOf(definition, stage);
        var state = new StageState { Stage = stage, Model = model, Queue = "stream", Step = 0, QueuedAt = now, StartedAt = now, EndedAt = now, DurationMs = 0 };
        return stage == PipelinePlan.DetectStage
            ? state with
            {
                Status = StageStatus.Succeeded,
                Result = JsonSerializer.SerializeToElement(new
                {
                    Model = model,
                    Image = size,
                    Detections = new[] { detection },
                    Found = 1,
                    Classes = new Dictionary<string, int> { [detection.ClassName] = 1 },
                    Device = "stream",
                }, FaceObjectJson.Options),
            }
            : state with { Status = StageStatus.Skipped, Error = new StageError(StageError.NoCrop, "A stream's run does not blur: its frame is not kept as an output.") };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: track {TrackId} ({ClassName}) is stable; pipeline {Pipeline} runs as task {TaskId}")]
    private partial void LogStarted(string streamId, string pipeline, int trackId, string className, string taskId);
}
