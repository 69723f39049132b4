using System.Text.Json;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Results;

namespace FaceObject.Core.Tests.Pipelines;

public sealed class PipelinePlanTests
{
    private static readonly PipelineDefinition Cars = new()
    {
        Detect = new DetectStage { Model = "object" },
        Blur = new BlurStage { Model = "face", Classes = ["face"] },
        Branches =
        [
            new BranchStage { Id = "brand", Model = "vehicle", CropClass = "car" },
            new BranchStage { Id = "plate", Model = "ocr", CropClass = "car", Parallel = false },
            new BranchStage { Id = "body", Model = "vehicle", CropClass = "car" },
            new BranchStage { Id = "detect", Model = "vehicle", Parallel = false },
        ],
    };

    [Fact]
    public void Steps_AreWholeImageStagesThenParallelBranchesThenEachSequentialBranch()
    {
        var steps = PipelinePlan.Steps(Cars);

        steps.Select(s => string.Join(",", s)).Should().Equal("detect,blur", "branch:brand,branch:body", "branch:plate", "branch:detect");
    }

    [Fact]
    public void Steps_StartWithTheBranches_WhenThereIsNoWholeImageStage()
    {
        PipelinePlan.Steps(new PipelineDefinition { Branches = [new BranchStage { Id = "all", Model = "imagenet" }] })
            .Should().ContainSingle().Which.Should().Equal("branch:all");
    }

    [Fact]
    public void ModelOf_NamesEachStagesModel_AndABranchNamedDetectIsNotTheDetectStage()
    {
        PipelinePlan.ModelOf(Cars, "detect").Should().Be("object");
        PipelinePlan.ModelOf(Cars, "blur").Should().Be("face");
        PipelinePlan.ModelOf(Cars, "branch:plate").Should().Be("ocr");
        PipelinePlan.ModelOf(Cars, PipelinePlan.BranchStage("detect")).Should().Be("vehicle");
        FluentActions.Invoking(() => PipelinePlan.ModelOf(Cars, "branch:nope")).Should().Throw<ArgumentException>().WithMessage("*branch:nope*");
    }
}

public sealed class PipelineTemplatesTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static PipelineRun Run(params StageState[] stages) => new()
    {
        TaskId = "t1",
        Pipeline = "cars",
        Definition = new PipelineDefinition(),
        Context = new Dictionary<string, string> { ["camera_id"] = "gate-2" },
        Stages = stages.ToDictionary(s => s.Stage),
        Actions = new Dictionary<int, ActionOutcome> { [0] = new("postgresql_create_record", RecordId: "17") },
    };

    private static StageState Stage(string key, StageStatus status, object? result) => new()
    {
        Stage = key,
        Model = "m",
        Queue = "m",
        Step = 0,
        Status = status,
        Result = result is null ? null : JsonSerializer.SerializeToElement(result, FaceObjectJson.Options),
    };

    [Fact]
    public void Values_HoldTheContextTheBestDetectionAndEachSucceededBranchsFields()
    {
        var detections = new[]
        {
            new Detection(2, "car", 0.6f, new BoundingBox(0, 0, 10, 10)),
            new Detection(7, "truck", 0.9f, new BoundingBox(0, 0, 10, 10), TrackId: 4),
        };
        var run = Run(
            Stage("detect", StageStatus.Succeeded, new { detections }),
            Stage("branch:brand", StageStatus.Succeeded, new { class_name = "white", confidence = 0.93, color = "white", type = "truck" }),
            Stage("branch:body", StageStatus.TimedOut, null));

        var values = PipelineTemplates.Values(run, Started);

        values["camera_id"].Should().Be("gate-2");
        values["session_id"].Should().Be("t1", "a run without a session is its own");
        values["timestamp"].Should().Be("2026-12-03T10:00:00.000Z");
        values["record_id"].Should().Be("17");
        values["detection.class_name"].Should().Be("truck");
        values["detection.track_id"].Should().Be("4");
        values["brand.color"].Should().Be("white");
        values["brand.confidence"].Should().Be("0.93");
        values.Keys.Should().NotContain(k => k.StartsWith("body.", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_FillsEveryName_AndLeavesUnknownNamesEmpty()
    {
        var values = new Dictionary<string, string> { ["camera_id"] = "gate", ["brand.class_name"] = "white" };

        PipelineTemplates.Render("inference:{camera_id}:{brand.class_name}:{camera_id}", values).Should().Be("inference:gate:white:gate");
        PipelineTemplates.Render("{body.class_name}", values).Should().BeEmpty();
        PipelineTemplates.Render("no template", values).Should().Be("no template");
    }
}
