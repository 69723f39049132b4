using FaceObject.Core.Models;

namespace FaceObject.Inference.Decoders;

/// <summary>Checks shared by the image-input model types.</summary>
internal static class ImageInput
{
    /// <summary>
    /// True when <paramref name="input"/> is float32 <c>[1,3,H,W]</c>. Dynamic H or W take
    /// <see cref="ModelOptions.InputHeight"/> / <see cref="ModelOptions.InputWidth"/>; without them the input does not bind.
    /// </summary>
    public static bool TryGetSize(TensorSignature input, ModelOptions options, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (!input.IsFloat || input.Rank != 4 || !input.DimensionIs(0, 1) || input.Dimensions[1] != 3)
        {
            return false;
        }

        height = input.Dimensions[2] > 0 ? input.Dimensions[2] : options.InputHeight ?? 0;
        width = input.Dimensions[3] > 0 ? input.Dimensions[3] : options.InputWidth ?? 0;
        return width > 0 && height > 0;
    }
}
