using System.Net;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Pipelines;

/// <summary>
/// Pipeline actions on a real PostgreSQL (started by the fixture) from the all-in-one host: a crop-and-classify run
/// writes a row and then the combined update, with a branch failing on purpose; PostgreSQL down during the actions;
/// and a table that does not exist stopping the host at start.
/// </summary>
public sealed class PipelineRecordTests(PipelineRecordFixture fixture) : IClassFixture<PipelineRecordFixture>
{
    private const string Hostile = "'); DROP TABLE sightings; --";

    private FaceObjectClient Client => fixture.Host.Client;

    [Fact]
    public async Task CropAndClassify_WritesARowThenTheCombinedUpdate_WithTheBranchesThatSucceeded()
    {
        var taskId = await Client.SubmitPipelineExpectingAcceptedAsync("sightings", TestPaths.ImageBytes("dog.jpg"));
        var done = await Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(60));

        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        var result = done["result"]!;
        result["branches"]!["giraffe"]!["type"]!.GetValue<string>().Should().Be("no_crop", "this branch fails on purpose");
        await using var connection = await fixture.Postgres.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT id, color, breed, giraffe, note, seen_at FROM sightings WHERE session_id = @s", connection);
        query.Parameters.AddWithValue("s", taskId);
        await using var row = await query.ExecuteReaderAsync();
        (await row.ReadAsync()).Should().BeTrue("the create wrote the run's row");
        row.GetInt32(0).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(result["actions"]![0]!["record_id"]!.GetValue<string>());
        row.GetString(1).Should().Be("white", "the pickup branch's colour");
        row.GetString(2).Should().Be(result["branches"]!["breed"]!["class_name"]!.GetValue<string>());
        row.IsDBNull(3).Should().BeTrue("the failed branch's column is left as it was");
        row.GetString(4).Should().Be(Hostile, "a value that looks like SQL is stored as it is");
        row.GetFieldValue<DateTime>(5).Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(2));
        (await row.ReadAsync()).Should().BeFalse("one row per run");
        result["actions"]![1]!["rows_updated"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task Actions_AreRetriedWhilePostgresIsDown_AndTheRowIsWrittenOnceWhenItIsBack()
    {
        fixture.Postgres.Stop();
        string taskId;
        try
        {
            taskId = await Client.SubmitPipelineExpectingAcceptedAsync("sightings", TestPaths.ImageBytes("dog.jpg"));
            await WaitUntilAsync(async () => (await Client.GetTaskAsync(taskId))!["stages"]?.AsArray()
                .Count(s => s!["status"]!.GetValue<string>() is "succeeded" or "skipped") == 4, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(4)); // the actions step fails and is scheduled again meanwhile
            (await Client.GetTaskAsync(taskId))!["status"]!.GetValue<string>().Should().Be("processing", "the row cannot be written yet");
        }
        finally
        {
            fixture.Postgres.Start();
        }

        var done = await Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(90));
        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        (await fixture.Postgres.ScalarAsync($"SELECT count(*) FROM sightings WHERE session_id = '{taskId}'")).Should().Be(1L);
        (await fixture.Postgres.ScalarAsync($"SELECT color FROM sightings WHERE session_id = '{taskId}'")).Should().Be("white");
        fixture.Host.Api.Output.Should().Contain("Pipeline task " + taskId);
    }

    [Fact]
    public void Start_StopsWithOneLine_WhenAnActionNamesATableThatDoesNotExist()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Postgres"] = fixture.Postgres.ConnectionString;
        PipelineRunFixture.AddPipeline(settings, "lost", """
            { "detect": { "model": "object" },
              "actions": [ { "type": "postgresql_create_record", "table": "no_such_table", "fields": { "seen": "{timestamp}" } } ] }
            """);

        using var api = ServiceProcess.StartAllInOne($"http://127.0.0.1:{FreePort.Next()}", settings);

        api.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue();
        api.ExitCode.Should().Be(2);
        api.Output.Should().Contain("Pipeline 'lost' actions[0]: table 'no_such_table' does not exist");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold in time");
            await Task.Delay(100);
        }
    }
}

/// <summary>A real PostgreSQL with the test's table, and the all-in-one host with a pipeline that writes to it.</summary>
public sealed class PipelineRecordFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();

    public EmbeddedApiFixture Host { get; } = new();

    public async Task InitializeAsync()
    {
        await Postgres.ExecuteAsync("""
            CREATE TABLE sightings (id serial PRIMARY KEY, session_id text, camera_id text, seen_at timestamptz, color text, breed text, giraffe text, note text)
            """);
        ClassifierApiFixture.AddVehicleClassifier(Host.Settings);
        PipelineRunFixture.AddImageNetClassifier(Host.Settings);
        Host.Settings["ConnectionStrings:Postgres"] = Postgres.ConnectionString;
        PipelineRunFixture.AddPipeline(Host.Settings, "sightings", """
            {
              "detect": { "model": "object", "expected_classes": ["dog", "car", "giraffe"] },
              "branches": [
                { "id": "pickup", "model": "vehicle", "crop_class": "car", "required": true },
                { "id": "breed", "model": "imagenet", "crop_class": "dog" },
                { "id": "giraffe", "model": "imagenet", "crop_class": "giraffe" }
              ],
              "actions": [
                { "type": "postgresql_create_record", "table": "sightings",
                  "fields": { "session_id": "{session_id}", "seen_at": "{timestamp}", "note": "'); DROP TABLE sightings; --" } },
                { "type": "postgresql_update_combined", "table": "sightings", "key_field": "session_id",
                  "wait_for_branches": ["pickup", "breed", "giraffe"],
                  "fields": { "color": "{pickup.color}", "breed": "{breed.class_name}", "giraffe": "{giraffe.class_name}" } }
              ]
            }
            """);
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Postgres.Dispose();
    }
}
