using System.Text.Json;
using System.Text.Json.Nodes;
using FaceObject.Api.Endpoints;
using FaceObject.Core;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Tests.Endpoints;

/// <summary>Seed 001's <c>GET /status/{job_id}</c> example (its README) from our task record, as the API serializes it.</summary>
public sealed class SeedCompatibilityContractsTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1640995190);

    [Fact]
    public void Status_HasTheSeedsFieldsAndValues_ForACompletedTaskInTheBucket()
    {
        var task = Task(DetectionTaskStatus.Completed) with
        {
            StartedAt = Created.AddSeconds(7),
            CompletedAt = DateTimeOffset.FromUnixTimeSeconds(1640995200).AddMilliseconds(400),
            ProcessingTimeMs = 2500,
            PayloadKey = "original/uuid_123.jpg",
            OutputImageKey = "processed/uuid_123.jpg",
            Result = JsonSerializer.SerializeToElement(new { task_id = "uuid", detections = new[] { new { class_name = "dog" } } }),
        };

        var json = Serialize(SeedJobStatus.From(TaskView.From(task, "bucket")));

        json["job_id"]!.GetValue<string>().Should().Be("uuid");
        json["status"]!.GetValue<string>().Should().Be("completed");
        json["updated_at"]!.GetValue<long>().Should().Be(1640995200);
        var results = json["results"]!;
        results["original_image_path"]!.GetValue<string>().Should().Be("s3://bucket/original/uuid_123.jpg");
        results["processed_image_path"]!.GetValue<string>().Should().Be("s3://bucket/processed/uuid_123.jpg");
        results["processing_time"]!.GetValue<double>().Should().Be(2.5);
        results["detections"]![0]!["class_name"]!.GetValue<string>().Should().Be("dog");
        results["detection_metadata"]!["task_id"]!.GetValue<string>().Should().Be("uuid");
    }

    [Fact]
    public void Status_PointsAtTheClientsOwnObject_ForATaskSubmittedByKey()
    {
        var task = Task(DetectionTaskStatus.Completed) with { Source = new ObjectReference("their-bucket", "images/photo.jpg") };

        var results = SeedJobStatus.From(TaskView.From(task, "bucket")).Results!;

        results.OriginalImagePath.Should().Be("s3://their-bucket/images/photo.jpg");
        results.ProcessedImagePath.Should().BeNull();
    }

    [Theory]
    [InlineData(DetectionTaskStatus.Queued, "submitted")]
    [InlineData(DetectionTaskStatus.Processing, "processing")]
    [InlineData(DetectionTaskStatus.Failed, "failed")]
    [InlineData(DetectionTaskStatus.Cancelled, "cancelled")]
    public void Status_UsesTheSeedsNames_AndHasNoResultsBeforeCompletion(DetectionTaskStatus status, string expected)
    {
        var view = SeedJobStatus.From(TaskView.From(Task(status) with { Error = status == DetectionTaskStatus.Failed ? "bad image" : null }));

        view.Status.Should().Be(expected);
        view.Results.Should().BeNull();
        view.UpdatedAt.Should().Be(Created.ToUnixTimeSeconds());
        view.Error.Should().Be(status == DetectionTaskStatus.Failed ? "bad image" : null);
    }

    private static TaskRecord Task(DetectionTaskStatus status) => new()
    {
        TaskId = "uuid",
        Model = "object",
        Queue = "object",
        Kind = TaskKind.Image,
        Status = status,
        CreatedAt = Created,
    };

    private static JsonNode Serialize<T>(T value) => JsonNode.Parse(JsonSerializer.Serialize(value, FaceObjectJson.Options))!;
}
