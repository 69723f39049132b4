using FaceObject.Core.Models;
using FaceObject.Core.Storage;

namespace FaceObject.Storage.Tests;

/// <summary>The behaviour every model report store must have; each store's test class runs all of it.</summary>
public abstract class ModelReportStoreContract
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    protected abstract IModelReportStore Store { get; }

    protected static ModelReport Report(string model = "object", string server = "host-a:101", string device = "cpu") => new()
    {
        Model = model,
        Queue = model,
        Server = server,
        Type = "yolox",
        File = "yolox_nano.onnx",
        InputWidth = 416,
        InputHeight = 416,
        ClassNames = ["person", "bicycle"],
        ScoreThreshold = 0.3f,
        NmsThreshold = null,
        Device = device,
        IntraOpThreads = 1,
        WorkerThreads = 2,
        LoadedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
        ReportedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 15, TimeSpan.Zero),
    };

    [Fact]
    public async Task GetAllAsync_ReturnsEveryFieldAsPublished_WhenOneReportIsPublished()
    {
        var report = Report();

        await Store.PublishAsync(report, Ttl);

        (await Store.GetAllAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(report);
    }

    [Fact]
    public async Task GetAllAsync_ReturnsOnePerModelAndServer_WhenServersRepublish()
    {
        await Store.PublishAsync(Report("object", "host-a:101"), Ttl);
        await Store.PublishAsync(Report("object", "host-b:202", device: "cuda"), Ttl);
        await Store.PublishAsync(Report("face", "host-a:101"), Ttl);
        await Store.PublishAsync(Report("object", "host-a:101") with { WorkerThreads = 4 }, Ttl);

        var reports = await Store.GetAllAsync();

        reports.Select(r => (r.Model, r.Server)).Should().BeEquivalentTo([("object", "host-a:101"), ("object", "host-b:202"), ("face", "host-a:101")]);
        reports.Single(r => r.Model == "object" && r.Server == "host-a:101").WorkerThreads.Should().Be(4);
    }

    [Fact]
    public async Task RemoveAsync_DropsOnlyThatServersReport_WhenAHostStops()
    {
        await Store.PublishAsync(Report("object", "host-a:101"), Ttl);
        await Store.PublishAsync(Report("object", "host-b:202"), Ttl);

        await Store.RemoveAsync("object", "host-a:101");

        (await Store.GetAllAsync()).Should().ContainSingle().Which.Server.Should().Be("host-b:202");
    }

    [Fact]
    public async Task GetAllAsync_ReturnsEmpty_WhenNothingWasPublished() =>
        (await Store.GetAllAsync()).Should().BeEmpty();
}
