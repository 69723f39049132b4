using FaceObject.Core.Models;

namespace FaceObject.Inference.Decoders;

/// <summary>
/// A model type that configuration can name (<c>Models:{key}:Type</c>): its defaults, a one-line description of the
/// graph it expects (for error messages) and a binder that checks a loaded graph and returns its decoder, or null
/// when the graph does not match. A null <see cref="DefaultNmsThreshold"/> means the type's outputs are already one box
/// per object (set prediction, e.g. RT-DETR) and no NMS is run.
/// </summary>
internal sealed record ModelType(
    string Name,
    float DefaultScoreThreshold,
    float? DefaultNmsThreshold,
    string Expected,
    Func<ModelSignature, ModelOptions, IModelDecoder?> TryBind);
