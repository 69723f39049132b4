using FaceObject.Testing;
using FaceObject.Testing.Cameras;
using FaceObject.Testing.Scenes;

namespace FaceObject.IntegrationTests.Streams;

/// <summary>
/// The generated scene served by a real RTSP server (mount <c>cam</c>), and the all-in-one host allowed to read cameras
/// and send callbacks on 127.0.0.1; both stopped on dispose.
/// </summary>
public sealed class LiveStreamFixture : IAsyncLifetime
{
    private ServiceProcess? _host;

    /// <summary>A pipeline streams may name as their model: the scene's dog tracks, each crop classified by ImageNet.</summary>
    public const string DogBreedPipeline = "dog-breed";

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public string SocketUrl => RootSocketUrl + "ws";

    /// <summary>The Python worker's address: its clients connect on <c>/</c>.</summary>
    public string RootSocketUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/";

    public FaceObjectClient Client { get; private set; } = null!;

    public RtspTestServer Camera { get; private set; } = null!;

    /// <summary>Where the dog-breed pipeline writes a row per stable dog track (table <c>dog_visits</c>).</summary>
    public PostgresServer Postgres { get; } = new();

#pragma warning disable CA1822 // an instance member so tests read it from their fixture
    public SceneClip Scene => FaceObject.Testing.Scenes.Scene.Clip;
#pragma warning restore CA1822

    public ServiceProcess Host => _host!;

    public async Task InitializeAsync()
    {
        Camera = new RtspTestServer(new Dictionary<string, string> { ["cam"] = Scene.FramePattern }, Scene.Fps);
        var settings = ServiceProcess.SharedModelSettings();
        settings["Worker:WorkerCount"] = "1";
        settings["Streams:AllowedSources:0"] = "127.0.0.1";
        settings["Fetch:AllowedHosts:0"] = "127.0.0.1";
        Pipelines.PipelineRunFixture.AddImageNetClassifier(settings);
        await Postgres.ExecuteAsync("CREATE TABLE dog_visits (id serial PRIMARY KEY, session_id text, camera_id text, track_id integer, breed text)");
        settings["ConnectionStrings:Postgres"] = Postgres.ConnectionString;
        Pipelines.PipelineRunFixture.AddPipeline(settings, DogBreedPipeline, """
            {
              "detect": { "model": "object", "expected_classes": ["dog"] },
              "branches": [ { "id": "breed", "model": "imagenet", "crop_class": "dog", "timeout_seconds": 20 } ],
              "actions": [
                { "type": "postgresql_create_record", "table": "dog_visits",
                  "fields": { "session_id": "{session_id}", "camera_id": "{camera_id}", "track_id": "{track_id}" } },
                { "type": "postgresql_update_combined", "table": "dog_visits", "key_field": "id", "key": "{record_id}",
                  "wait_for_branches": ["breed"], "fields": { "breed": "{breed.class_name}" } }
              ]
            }
            """);
        _host = ServiceProcess.StartAllInOne(BaseUrl, settings);
        await _host.WaitForHttpAsync(BaseUrl + "/readyz", TimeSpan.FromSeconds(90));
        Client = new FaceObjectClient(BaseUrl);
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _host?.Dispose();
        Camera?.Dispose();
        Postgres.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The tests that share one <see cref="LiveStreamFixture"/> (one host, one RTSP server), run one after another, and
/// after this assembly's parallel tests: detection at the streams' fps needs the cores they would take.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveStreamGroup : ICollectionFixture<LiveStreamFixture>
{
    public const string Name = "Live streams";
}
