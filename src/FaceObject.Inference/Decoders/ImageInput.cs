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

    /// <summary>
    /// Why the configured input size cannot be used with this file, or null when it can: a dynamic H or W with no
    /// <c>InputHeight</c>/<c>InputWidth</c> configured, or a configured size that contradicts the size the file fixes.
    /// Only looks at a single rank-4 input; other shapes are left to the type's binder to describe.
    /// </summary>
    public static string? SizeProblem(ModelSignature signature, ModelOptions options)
    {
        if (signature.Inputs is not [{ Rank: 4 } input])
        {
            return null;
        }

        var missing = new List<(string Axis, string Setting)>();
        var conflicts = new List<string>();
        Check(input.Dimensions[2], options.InputHeight, "InputHeight", "H");
        Check(input.Dimensions[3], options.InputWidth, "InputWidth", "W");
        if (missing.Count > 0)
        {
            return $"input {input} has a dynamic {string.Join(" and ", missing.Select(m => m.Axis))}; "
                + $"set {string.Join(" and ", missing.Select(m => m.Setting))} to the size to run it at (e.g. 640)";
        }

        return conflicts.Count > 0
            ? $"{string.Join(" and ", conflicts)} configured, but input {input} fixes the size; remove the setting or use another export"
            : null;

        void Check(int dimension, int? configured, string setting, string axis)
        {
            if (dimension < 0 && configured is not > 0)
            {
                missing.Add((axis, setting));
            }
            else if (dimension > 0 && configured is { } value && value != dimension)
            {
                conflicts.Add($"{setting} {value}");
            }
        }
    }

    /// <summary>Output points of a dense detector over grids of the given strides: the sum of (W/s) x (H/s).</summary>
    public static int GridPoints(int width, int height, IEnumerable<int> strides) => strides.Sum(s => (width / s) * (height / s));
}
