namespace FaceObject.Inference.Decoders;

/// <summary>The registry of known model types. Adding a type is one entry here and one decoder class.</summary>
internal static class ModelTypes
{
    private static readonly Dictionary<string, ModelType> Types = new ModelType[]
    {
        YoloxDecoder.Type,
        UltraFaceDecoder.Type,
        UltralyticsDecoder.Type,
        RtDetrDecoder.Type,
    }.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => Types.Keys.Order(StringComparer.Ordinal);

    public static bool TryGet(string name, out ModelType type) => Types.TryGetValue(name, out type!);
}
