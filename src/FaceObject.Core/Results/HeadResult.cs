using System.Text.Json.Serialization;

namespace FaceObject.Core.Results;

/// <summary>
/// What one output (head) of a classifier says about an image. A class head fills <see cref="Top"/>, best first;
/// a head with a single number and no labels (age-gender's age, as age / 100) fills <see cref="Value"/> instead.
/// </summary>
/// <param name="Head">The ONNX output name, e.g. <c>color</c>.</param>
/// <param name="Top">The best classes, highest score first; empty for a value head.</param>
/// <param name="Value">The raw number of a value head; null for a class head.</param>
public sealed record HeadResult(
    string Head,
    IReadOnlyList<ClassScore> Top,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Value = null)
{
    /// <summary>The best class, or null for a value head.</summary>
    [JsonIgnore]
    public ClassScore? Best => Top.Count > 0 ? Top[0] : null;
}
