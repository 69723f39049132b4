using FaceObject.Api.Endpoints;
using FaceObject.Core.Models;

namespace FaceObject.Api.Tests.Endpoints;

public sealed class ModelEndpointsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly ModelCatalog Catalog = new(new Dictionary<string, ModelOptions>
    {
        ["object"] = new() { Type = "yolox", Path = "models/yolox_nano.onnx", ScoreThreshold = 0.4f, Device = "auto" },
    });

    [Fact]
    public void View_SaysUnservedWithConfiguredValues_WhenNoProcessReportsTheModel()
    {
        var view = ModelEndpoints.View("object", Catalog, []);

        view.Should().BeEquivalentTo(new
        {
            Key = "object", Queue = "object", Type = "yolox", File = "yolox_nano.onnx", Served = false, Device = (string?)null,
            RequestedDevice = "auto", Input = (ModelInputView?)null, ClassCount = (int?)null, Classes = (IReadOnlyList<string>?)null, ScoreThreshold = 0.4f,
        });
        view.Servers.Should().BeEmpty();
    }

    [Fact]
    public void View_TakesDetailsFromNewestReportAndListsServers_WhenTwoProcessesServeIt()
    {
        var view = ModelEndpoints.View("object", Catalog, [Report("a:1", "cpu", Noon), Report("b:2", "cpu", Noon.AddSeconds(5)) with { ScoreThreshold = 0.45f }]);

        view.Served.Should().BeTrue();
        view.Device.Should().Be("cpu");
        view.Input.Should().Be(new ModelInputView(416, 416));
        view.ClassCount.Should().Be(2);
        view.Classes.Should().Equal("person", "bicycle");
        view.ScoreThreshold.Should().Be(0.45f);
        view.Servers.Select(s => s.Server).Should().Equal("b:2", "a:1");
    }

    [Fact]
    public void View_SaysMixed_WhenServersRunOnDifferentProviders()
    {
        var view = ModelEndpoints.View("object", Catalog, [Report("a:1", "cpu", Noon), Report("gpu:2", "cuda", Noon)]);

        view.Device.Should().Be("mixed");
        view.Servers.Select(s => s.Device).Should().BeEquivalentTo("cpu", "cuda");
    }

    private static ModelReport Report(string server, string device, DateTimeOffset reportedAt) => new()
    {
        Model = "object",
        Queue = "object",
        Server = server,
        Type = "yolox",
        File = "yolox_nano.onnx",
        InputWidth = 416,
        InputHeight = 416,
        ClassNames = ["person", "bicycle"],
        ScoreThreshold = 0.4f,
        NmsThreshold = 0.45f,
        Device = device,
        IntraOpThreads = 1,
        WorkerThreads = 2,
        LoadedAt = Noon,
        ReportedAt = reportedAt,
    };
}
