using FaceObject.Core.Tasks;
using FaceObject.Processing.Fetching;
using FaceObject.SafeHttp;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Tests.Fetching;

public sealed class TaskInputLoaderTests : IDisposable
{
    private readonly JobWorld _world = new();
    private readonly SafeHttpClient _http = LoopbackHttp.Client();

    [Fact]
    public async Task LoadAsync_UsesThePayloadReadWithTheStart_WithoutReadingThePayloadStore()
    {
        // The payload store holds other bytes: the loader must not read them when the start brought the payload.
        var task = await _world.CreateTaskAsync(payload: [9, 9, 9]);
        byte[] started = [1, 2, 3];

        var input = await Loader().LoadAsync(task, new PayloadRead(started), CancellationToken.None);

        input.Content.Should().Equal(started);
    }

    [Fact]
    public async Task LoadAsync_ReadsThePayloadStore_WhenTheStartBroughtNoPayload()
    {
        var task = await _world.CreateTaskAsync(payload: [9, 9, 9]);

        (await Loader().LoadAsync(task, null, CancellationToken.None)).Content.Should().Equal(9, 9, 9);
    }

    [Fact]
    public async Task LoadAsync_RefusesAsForAnExpiredUpload_WhenTheStartFoundNoPayload()
    {
        var task = await _world.CreateTaskAsync();
        var expected = await Loader().LoadAsync(task, null, CancellationToken.None);

        var input = await Loader().LoadAsync(task, new PayloadRead(null), CancellationToken.None);

        input.Content.Should().BeNull();
        input.Failure.Should().Be(expected.Failure).And.Contain("no longer stored");
    }

    public void Dispose()
    {
        _http.Dispose();
        _world.Dispose();
    }

    private TaskInputLoader Loader() =>
        new(_world.Payloads, new ImageFetcher(_http, Options.Create(new FetchOptions()), Options.Create(new ImageLimits())), _world.TaskOptions, _world.Clock);
}
