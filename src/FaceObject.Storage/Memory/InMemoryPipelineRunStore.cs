using FaceObject.Core.Pipelines;

namespace FaceObject.Storage.Memory;

/// <summary>Pipeline runs in process memory with a TTL, for the all-in-one mode; each run's changes are serialised by its own lock.</summary>
internal sealed class InMemoryPipelineRunStore(TimeProvider clock) : IPipelineRunStore
{
    private readonly ExpiringDictionary<Entry> _runs = new(clock);

    public Task<bool> CreateAsync(PipelineRun run, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Task.FromResult(_runs.GetOrAdd(run.TaskId, new Entry(run with { Step = -1 }), timeToLive) is null);
    }

    public Task<PipelineRun?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        if (_runs.Get(taskId) is not { } entry)
        {
            return Task.FromResult<PipelineRun?>(null);
        }

        lock (entry.Lock)
        {
            return Task.FromResult<PipelineRun?>(entry.Run);
        }
    }

    public Task<bool> BeginStepAsync(string taskId, int stepIndex, IReadOnlyList<StageState> stages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return Change(taskId, entry =>
        {
            if (entry.Run.Step != stepIndex - 1)
            {
                return false;
            }

            var all = new Dictionary<string, StageState>(entry.Run.Stages, StringComparer.Ordinal);
            foreach (var stage in stages)
            {
                all[stage.Stage] = stage;
            }

            entry.Pending = stages.Count(s => !s.HasEnded);
            entry.Run = entry.Run with { Step = stepIndex, Stages = all };
            return true;
        });
    }

    public Task<bool> UpdateStageAsync(string taskId, StageState stage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return Change(taskId, entry =>
        {
            if (!entry.Run.Stages.TryGetValue(stage.Stage, out var current) || current.HasEnded)
            {
                return false;
            }

            entry.Run = entry.Run with { Stages = With(entry.Run.Stages, stage) };
            return true;
        });
    }

    public Task<int?> EndStageAsync(string taskId, StageState stage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return Change<int?>(taskId, entry =>
        {
            if (!entry.Run.Stages.TryGetValue(stage.Stage, out var current) || current.HasEnded)
            {
                return null;
            }

            entry.Run = entry.Run with { Stages = With(entry.Run.Stages, stage) };
            return --entry.Pending;
        });
    }

    public Task RecordActionAsync(string taskId, int index, ActionOutcome outcome, CancellationToken cancellationToken = default) =>
        Change(taskId, entry =>
        {
            entry.Run = entry.Run with { Actions = new Dictionary<int, ActionOutcome>(entry.Run.Actions) { [index] = outcome } };
            return true;
        });

    private static Dictionary<string, StageState> With(IReadOnlyDictionary<string, StageState> stages, StageState stage) =>
        new(stages, StringComparer.Ordinal) { [stage.Stage] = stage };

    private Task<T> Change<T>(string taskId, Func<Entry, T> change)
    {
        if (_runs.Get(taskId) is not { } entry)
        {
            return Task.FromResult(default(T)!);
        }

        lock (entry.Lock)
        {
            return Task.FromResult(change(entry));
        }
    }

    private sealed class Entry(PipelineRun run)
    {
        public Lock Lock { get; } = new();

        public PipelineRun Run { get; set; } = run;

        public int Pending { get; set; }
    }
}
