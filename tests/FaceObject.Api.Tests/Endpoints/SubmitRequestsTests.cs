using System.Text.Json;
using FaceObject.Api.Endpoints;
using FaceObject.Api.Submissions;
using FaceObject.Core;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Api.Tests.Endpoints;

/// <summary>The documented JSON bodies, serialized as a client generated from the OpenAPI document would, are what the readers accept.</summary>
public sealed class SubmitRequestsTests
{
    [Fact]
    public void ImageUrlRequest_IsReadWithEveryOption_WhenSerializedAsDocumented()
    {
        var request = new ImageUrlRequest("https://example.com/a.jpg", 0.25f, Annotate: true, BlurClasses: ["person", "car"], CallbackUrl: "https://example.com/hook");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(request, FaceObjectJson.Options));

        ImageUrlRequestReader.TryRead(json.RootElement, QueryCollection.Empty, out var url, out var options, out var error).Should().BeTrue(error);

        url.Should().Be("https://example.com/a.jpg");
        options.ScoreThreshold.Should().Be(0.25f);
        options.Annotate.Should().BeTrue();
        options.Blur.Should().BeTrue("blur_classes implies blur");
        options.BlurClasses.Should().Equal("person", "car");
        options.CallbackUrl.Should().Be("https://example.com/hook");
    }

    [Fact]
    public void ImageKeyRequest_NamesTheFieldsTheKeySubmitReads()
    {
        var request = new ImageKeyRequest("images/a.jpg", "other-bucket", ScoreThreshold: 0.5f);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(request, FaceObjectJson.Options));

        json.RootElement.GetProperty("image_key").GetString().Should().Be("images/a.jpg");
        json.RootElement.GetProperty("bucket").GetString().Should().Be("other-bucket");
        ImageUrlRequestReader.TryReadFields(json.RootElement, ImageKeySubmission.Example, out var fields, out var error).Should().BeTrue(error);
        DetectionOptionsReader.TryRead(fields, QueryCollection.Empty, out var options, out error).Should().BeTrue(error);
        options.ScoreThreshold.Should().Be(0.5f);
    }
}
