using System.Net;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>Pipelines from configuration and from a folder, listed by the all-in-one host; a bad one stops it at start.</summary>
public sealed class PipelineDefinitionTests(PipelineApiFixture fixture) : IClassFixture<PipelineApiFixture>
{
    [Fact]
    public async Task Pipelines_ListsConfiguredFolderAndBuiltInPipelines_WithTheirModels()
    {
        var pipelines = (await fixture.Host.Client.GetJsonAsync("/api/pipelines"))!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);

        pipelines.Keys.Should().Equal("blur-and-detect", "blur-faces", "trucks", "vehicle-attributes");
        var trucks = pipelines["trucks"];
        trucks["models"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal("object", "vehicle");
        trucks["definition"]!["branches"]![0]!["crop_class"]!.GetValue<string>().Should().Be("truck");
        pipelines["blur-faces"]["definition"]!["blur"]!["classes"]![0]!.GetValue<string>().Should().Be("face");
        pipelines["blur-and-detect"]["models"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal("object", "face");
        pipelines["vehicle-attributes"]["description"]!.GetValue<string>().Should().Be("ours", "a configured pipeline replaces the built-in of its name");
    }

    [Fact]
    public async Task Info_NamesTheServiceItsPipelinesAndModels()
    {
        var info = (await fixture.Host.Client.GetJsonAsync("/info"))!;

        info["service"]!.GetValue<string>().Should().Be("faceobject");
        info["pipelines"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("blur-and-detect", "blur-faces", "trucks", "vehicle-attributes");
        info["models"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Contain(["face", "object", "vehicle"]);
    }

    [Fact]
    public void Start_StopsWithOneLine_WhenAnActionWritesToRedisWithoutRedis()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["Pipelines:announce:detect:model"] = "object";
        settings["Pipelines:announce:actions:0:type"] = "publish";
        settings["Pipelines:announce:actions:0:channel"] = "cars";
        settings["Pipelines:announce:actions:0:message:seen"] = "{detection.class_name}";

        using var api = ServiceProcess.StartAllInOne($"http://127.0.0.1:{FreePort.Next()}", settings);

        api.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue();
        api.ExitCode.Should().Be(2);
        api.Output.Should().Contain("Pipeline 'announce' actions[0].type: publish writes to Redis, and ConnectionStrings:Redis is not set");
    }

    [Fact]
    public void Start_StopsWithOneLineNamingThePath_WhenABranchNamesAnUnknownModel()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["Pipelines:bad:detect:model"] = "object";
        settings["Pipelines:bad:branches:0:id"] = "color";
        settings["Pipelines:bad:branches:0:model"] = "lorry";

        using var api = ServiceProcess.StartAllInOne($"http://127.0.0.1:{FreePort.Next()}", settings);

        api.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue();
        api.ExitCode.Should().Be(2);
        api.Output.Should().Contain("Pipeline 'bad' (Pipelines:bad) branches[0].model: unknown model 'lorry'; classifiers: none configured.");
    }
}

/// <summary>The embedded host with the vehicle classifier, one pipeline in configuration and one in a folder.</summary>
public sealed class PipelineApiFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipelines-").FullName;

    public EmbeddedApiFixture Host { get; } = new();

    public Task InitializeAsync()
    {
        ClassifierApiFixture.AddVehicleClassifier(Host.Settings);
        Host.Settings["Pipelines:blur-faces:blur:model"] = "face";
        Host.Settings["Pipelines:blur-faces:blur:classes:0"] = "face";
        Host.Settings["Pipelines:Folder"] = _folder;
        File.WriteAllText(Path.Combine(_folder, "trucks.json"), """
            {
              "detect": { "model": "object", "expected_classes": ["truck", "car"] },
              "branches": [ { "id": "color", "model": "vehicle", "crop_class": "truck", "required": true } ]
            }
            """);
        File.WriteAllText(Path.Combine(_folder, "vehicle-attributes.json"), """
            { "description": "ours", "branches": [ { "id": "whole", "model": "vehicle" } ] }
            """);
        return Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
