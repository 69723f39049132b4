using FaceObject.Core.Models;
using System.Text.RegularExpressions;
using FaceObject.Core.Pipelines;
using FaceObject.Testing;

namespace FaceObject.Core.Tests.Pipelines;

/// <summary>Definitions are checked at start: every error is one line naming the pipeline, the path and what is accepted.</summary>
public sealed class PipelineCatalogTests
{
    private static readonly ModelCatalog Models = new(new Dictionary<string, ModelOptions>
    {
        ["face"] = new() { Type = "ultraface", Path = "f.onnx" },
        ["object"] = new() { Type = "yolox", Path = "o.onnx" },
        ["vehicle"] = new() { Type = "classifier", Path = "v.onnx" },
        ["imagenet"] = new() { Type = "classifier", Path = "i.onnx" },
    });

    // The seed's car example with colour for brand and type for body type.
    private const string Cars = """
        {
          "description": "cars: record, classify, update",
          "detect": { "model": "object", "min_confidence": 0.5, "expected_classes": ["car", "truck"] },
          "branches": [
            { "id": "color", "model": "vehicle", "crop_class": "truck", "timeout_seconds": 10, "required": true },
            { "id": "kind", "model": "imagenet", "crop_class": "truck" }
          ],
          "actions": [
            { "type": "postgresql_create_record", "table": "car_info", "fields": { "camera_id": "{camera_id}", "seen_at": "{timestamp}" } },
            { "type": "redis_save_image", "region": "truck", "key": "crops:{session_id}", "expire_seconds": 600 },
            { "type": "postgresql_update_combined", "table": "car_info", "key_field": "session_id",
              "wait_for_branches": ["color", "kind"], "fields": { "color": "{color.class_name}", "kind": "{kind.class_name}" } },
            { "type": "publish", "channel": "cars", "message": { "color": "{color.class_name}" } }
          ]
        }
        """;

    [Fact]
    public void Load_KeepsEveryStage_WhenSeedCarExample()
    {
        var catalog = PipelineCatalog.Load([new PipelineSource("cars", "test", Cars)], Models);

        catalog.Names.Should().Equal("cars");
        catalog.TryGet("cars", out var cars).Should().BeTrue();
        cars.Detect!.ExpectedClasses.Should().Equal("car", "truck");
        cars.Branches.Select(b => (b.Id, b.Model, b.Required, b.TimeoutSeconds)).Should().Equal(("color", "vehicle", true, 10d), ("kind", "imagenet", false, 30d));
        cars.Actions.Select(a => a.Type).Should().Equal("postgresql_create_record", "redis_save_image", "postgresql_update_combined", "publish");
        cars.Actions[2].WaitForBranches.Should().Equal("color", "kind");
        cars.Actions[2].Fields["color"].Should().Be("{color.class_name}");
    }

    [Theory]
    [InlineData("\"model\": \"vehicle\", \"crop_class\"", "\"model\": \"lorry\", \"crop_class\"",
        "Pipeline 'cars' (test) branches[0].model: unknown model 'lorry'; classifiers: imagenet, vehicle.")]
    [InlineData("\"model\": \"object\"", "\"model\": \"imagenet\"",
        "Pipeline 'cars' (test) detect.model: model 'imagenet' is a classifier; detectors: face, object.")]
    [InlineData("\"description\"", "\"segment\": {}, \"description\"",
        "Pipeline 'cars' (test): unknown stage 'segment'; accepted: description, detect, blur, branches, actions.")]
    [InlineData("{kind.class_name}", "{brand.class_name}",
        "Pipeline 'cars' (test) actions[2].fields.kind: template '{brand.class_name}' names no branch 'brand'; branches: color, kind.")]
    [InlineData("{timestamp}", "{when}",
        "Pipeline 'cars' (test) actions[0].fields.seen_at: template '{when}' is not known; accepted: *")]
    [InlineData("\"publish\"", "\"email\"",
        "Pipeline 'cars' (test) actions[3].type: unknown action 'email'; accepted: postgresql_create_record, postgresql_update_combined, redis_save_image, publish.")]
    [InlineData("[\"color\", \"kind\"]", "[\"color\", \"plate\"]",
        "Pipeline 'cars' (test) actions[2].wait_for_branches: no branch 'plate'; branches: color, kind.")]
    [InlineData("\"key_field\": \"session_id\",", "",
        "Pipeline 'cars' (test) actions[2].key_field: missing; postgresql_update_combined needs the column holding the record's key.")]
    [InlineData("\"timeout_seconds\": 10", "\"timeout_secs\": 10",
        "Pipeline 'cars' (test): The JSON property 'timeout_secs' could not be mapped to any .NET member*")]
    public void Load_StopsWithOneLineNamingThePath_WhenDefinitionIsWrong(string from, string to, string expected)
    {
        var broken = Cars.Replace(from, to, StringComparison.Ordinal);
        broken.Should().NotBe(Cars);

        var act = () => PipelineCatalog.Load([new PipelineSource("cars", "test", broken)], Models);

        var error = act.Should().Throw<PipelineDefinitionException>().Which;
        error.Errors.Should().ContainSingle().Which.Should().Match(expected);
    }

    [Fact]
    public void Load_ReportsEveryPipelinesErrors_WhenSeveralAreWrong()
    {
        var act = () => PipelineCatalog.Load(
            [new PipelineSource("a", "Pipelines:a", """{ "detect": { "model": "cats" } }"""), new PipelineSource("Bad Name", "b.json", "{}")],
            Models);

        act.Should().Throw<PipelineDefinitionException>().Which.Errors.Should().Equal(
            "Pipeline 'a' (Pipelines:a) detect.model: unknown model 'cats'; detectors: face, object.",
            "Pipeline 'Bad Name' (b.json): the name is not valid; use lower-case letters, digits, '-' and '_'.");
    }

    [Fact]
    public void Load_AcceptsTheCarExampleOfTheDocs()
    {
        // docs/pipelines.md's first JSON block is the seed's car example; readers copy it, so it must load.
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "pipelines.md"));
        var example = Regex.Match(docs, "```json\n(?<json>.*?)```", RegexOptions.Singleline).Groups["json"].Value;
        var models = new ModelCatalog(new Dictionary<string, ModelOptions>
        {
            ["object"] = new() { Type = "yolox", Path = "o.onnx" },
            ["vehicle"] = new() { Type = "classifier", Path = "v.onnx" },
        });

        var catalog = PipelineCatalog.Load([new PipelineSource("cars", "docs/pipelines.md", example)], models);

        catalog.TryGet("cars", out var cars).Should().BeTrue();
        cars.Branches.Select(b => b.Id).Should().Equal("brand", "body");
        cars.Actions.Should().HaveCount(4);
    }

    [Fact]
    public void FromFolder_NamesEachFileByItsName()
    {
        var folder = Directory.CreateTempSubdirectory("pipelines-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "cars.json"), Cars);
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a pipeline");

            var catalog = PipelineCatalog.Load(PipelineSource.FromFolder(folder), Models);

            catalog.Names.Should().Equal("cars");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void FromFolder_SaysWhatToSet_WhenFolderIsMissing()
    {
        var act = () => PipelineSource.FromFolder("/no/such/folder");

        act.Should().Throw<PipelineDefinitionException>().WithMessage("Pipelines folder '/no/such/folder' does not exist; set Pipelines:Folder*");
    }
}
