using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceObject.Core.Results;

/// <summary>
/// Writes a box as <c>{x1, y1, x2, y2}</c> rounded to 0.1 pixel: the result contract, without the derived
/// width/height/area and without float noise no detector resolves anyway.
/// </summary>
public sealed class BoundingBoxJsonConverter : JsonConverter<BoundingBox>
{
    public override BoundingBox Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A bounding box must be an object with x1, y1, x2 and y2.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            var value = reader.GetSingle();
            switch (name)
            {
                case "x1": x1 = value; break;
                case "y1": y1 = value; break;
                case "x2": x2 = value; break;
                case "y2": y2 = value; break;
            }
        }

        return new BoundingBox(x1, y1, x2, y2);
    }

    public override void Write(Utf8JsonWriter writer, BoundingBox value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("x1", Math.Round(value.X1, 1));
        writer.WriteNumber("y1", Math.Round(value.Y1, 1));
        writer.WriteNumber("x2", Math.Round(value.X2, 1));
        writer.WriteNumber("y2", Math.Round(value.Y2, 1));
        writer.WriteEndObject();
    }
}
