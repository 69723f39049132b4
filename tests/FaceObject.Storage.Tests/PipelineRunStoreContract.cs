using System.Text.Json;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Storage.Memory;
using FaceObject.Storage.Redis;

namespace FaceObject.Storage.Tests;

/// <summary>The behaviour every pipeline run store must have: one move per step and one end per stage, however many race.</summary>
public abstract class PipelineRunStoreContract
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    protected abstract IPipelineRunStore Store { get; }

    private static PipelineRun NewRun() => new()
    {
        TaskId = Guid.NewGuid().ToString(),
        Pipeline = "cars",
        Definition = new PipelineDefinition
        {
            Detect = new DetectStage { Model = "object" },
            Branches = [new BranchStage { Id = "color", Model = "vehicle" }, new BranchStage { Id = "type", Model = "vehicle" }],
        },
        Context = new Dictionary<string, string> { ["camera_id"] = "gate" },
    };

    private static StageState Stage(string key, int step, StageStatus status = StageStatus.Queued) =>
        new() { Stage = key, Model = "vehicle", Queue = "vehicle", Step = step, Status = status };

    [Fact]
    public async Task CreateAsync_CreatesOnce_AndGetReturnsTheDefinitionAndContext()
    {
        var run = NewRun();

        (await Store.CreateAsync(run, Ttl)).Should().BeTrue();
        (await Store.CreateAsync(run with { Pipeline = "other" }, Ttl)).Should().BeFalse();
        var stored = await Store.GetAsync(run.TaskId);

        stored!.Pipeline.Should().Be("cars");
        stored.Step.Should().Be(-1);
        stored.Context["camera_id"].Should().Be("gate");
        stored.Definition.Branches.Select(b => b.Id).Should().Equal("color", "type");
        (await Store.GetAsync("missing")).Should().BeNull();
    }

    [Fact]
    public async Task BeginStepAsync_MovesOnlyFromThePreviousStep_SoOneOfRacingMovesWins()
    {
        var run = NewRun();
        await Store.CreateAsync(run, Ttl);

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.BeginStepAsync(run.TaskId, 0, [Stage("detect", 0)])));

        racing.Count(won => won).Should().Be(1);
        (await Store.BeginStepAsync(run.TaskId, 2, [Stage("branch:color", 2)])).Should().BeFalse("step 1 has not begun");
        (await Store.GetAsync(run.TaskId))!.Step.Should().Be(0);
    }

    [Fact]
    public async Task EndStageAsync_EndsEachStageOnce_AndCountsTheStepsOpenStagesDown()
    {
        var run = NewRun();
        await Store.CreateAsync(run, Ttl);
        await Store.BeginStepAsync(run.TaskId, 0, [Stage("branch:color", 0), Stage("branch:type", 0), Stage("branch:none", 0, StageStatus.Skipped)]);
        var result = JsonSerializer.SerializeToElement(new { class_name = "white" });

        var first = await Store.EndStageAsync(run.TaskId, Stage("branch:color", 0, StageStatus.Succeeded) with { Result = result });
        var again = await Store.EndStageAsync(run.TaskId, Stage("branch:color", 0, StageStatus.TimedOut));
        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Store.EndStageAsync(run.TaskId, Stage("branch:type", 0, StageStatus.TimedOut))));

        first.Should().Be(1, "the skipped stage started ended, so one other is still open");
        again.Should().BeNull("a stage ends once: the later timeout changes nothing");
        racing.Where(left => left is not null).Should().Equal([0]);
        var stored = (await Store.GetAsync(run.TaskId))!;
        stored.Stages["branch:color"].Status.Should().Be(StageStatus.Succeeded);
        stored.Stages["branch:color"].Result!.Value.GetProperty("class_name").GetString().Should().Be("white");
        stored.Stages["branch:type"].Status.Should().Be(StageStatus.TimedOut);
    }

    [Fact]
    public async Task UpdateStageAsync_RecordsRunning_ButNeverReopensAnEndedStage()
    {
        var run = NewRun();
        await Store.CreateAsync(run, Ttl);
        await Store.BeginStepAsync(run.TaskId, 0, [Stage("detect", 0)]);

        (await Store.UpdateStageAsync(run.TaskId, Stage("detect", 0, StageStatus.Running) with { JobId = "42" })).Should().BeTrue();
        await Store.EndStageAsync(run.TaskId, Stage("detect", 0, StageStatus.Failed));
        (await Store.UpdateStageAsync(run.TaskId, Stage("detect", 0, StageStatus.Running))).Should().BeFalse();
        (await Store.UpdateStageAsync(run.TaskId, Stage("never-begun", 0, StageStatus.Running))).Should().BeFalse();

        (await Store.GetAsync(run.TaskId))!.Stages["detect"].Status.Should().Be(StageStatus.Failed);
    }

    [Fact]
    public async Task RecordActionAsync_KeepsEachActionsOutcome()
    {
        var run = NewRun();
        await Store.CreateAsync(run, Ttl);

        await Store.RecordActionAsync(run.TaskId, 0, new ActionOutcome("postgresql_create_record", RecordId: "17"));
        await Store.RecordActionAsync(run.TaskId, 1, new ActionOutcome("publish", Key: "cars"));

        var actions = (await Store.GetAsync(run.TaskId))!.Actions;
        actions[0].RecordId.Should().Be("17");
        actions[1].Key.Should().Be("cars");
    }
}

public sealed class InMemoryPipelineRunStoreTests : PipelineRunStoreContract
{
    protected override IPipelineRunStore Store { get; } = new InMemoryPipelineRunStore(TimeProvider.System);
}

public sealed class RedisPipelineRunStoreTests(RedisFixture redis) : PipelineRunStoreContract, IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    protected override IPipelineRunStore Store => new RedisPipelineRunStore(redis.Connection, StoreFactory.Keys(_prefix));

    [Fact]
    public async Task Runs_AreOneHashWithTheTtl_SoTheyExpireWithTheirTask()
    {
        var store = Store;
        var taskId = Guid.NewGuid().ToString();
        await store.CreateAsync(new PipelineRun { TaskId = taskId, Pipeline = "p", Definition = new PipelineDefinition() }, TimeSpan.FromMinutes(3));

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(_prefix + "pipeline:" + taskId);

        ttl!.Value.Should().BeCloseTo(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(10));
    }
}
