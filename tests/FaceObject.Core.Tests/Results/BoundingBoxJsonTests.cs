using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Results;

namespace FaceObject.Core.Tests.Results;

public sealed class BoundingBoxJsonTests
{
    [Fact]
    public void Serialize_WritesOnlyCornersRoundedToOneDecimal()
    {
        var json = JsonSerializer.Serialize(new Detection(16, "dog", 0.8551f, new BoundingBox(131.24f, 219.76f, 310.56f, 541.04f)), FaceObjectJson.Options);

        json.Should().Be("""{"class_id":16,"class_name":"dog","confidence":0.8551,"bbox":{"x1":131.2,"y1":219.8,"x2":310.6,"y2":541}}""");
    }

    [Fact]
    public void Deserialize_ReadsTheCorners_WhenWrittenByTheService()
    {
        var box = JsonSerializer.Deserialize<BoundingBox>("""{"x1":1.5,"y1":2,"x2":3,"y2":4.25}""", FaceObjectJson.Options);

        box.Should().Be(new BoundingBox(1.5f, 2, 3, 4.25f));
    }
}
