using System.Buffers;
using FaceObject.Core.Models;
using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Decoders;

/// <summary>
/// Ultralytics detection exports (YOLOv5u, YOLOv8, YOLO11; <c>yolo export format=onnx</c>): planar RGB scaled to
/// 0..1, letterboxed centred with 114 padding; one output <c>[1,4+classes,N]</c>, channel-major, holding for each
/// of the N grid points <c>cx, cy, w, h</c> in model-input pixels and one score per class (already sigmoid-ed, no
/// objectness). N is the point count of the stride 8/16/32 grids (8400 at 640x640), or with the stride-64 grid of
/// the P6 models. Score = best class score, kept when &gt; the threshold, as Ultralytics does; class-aware NMS.
/// </summary>
internal sealed class UltralyticsDecoder(InputSpec input, string outputName, int classCount)
    : SingleOutputDecoder(input, outputName, classCount)
{
    private static readonly int[] Strides = [8, 16, 32];
    private static readonly int[] StridesP6 = [8, 16, 32, 64];

    public static ModelType Type { get; } = new(
        "ultralytics",
        DefaultScoreThreshold: 0.25f,
        DefaultNmsThreshold: 0.7f,
        Expected: "one input float32[1,3,H,W] with H and W multiples of 32, and one output float32[1,4+classes,N] with N the grid points of strides 8/16/32 (8400 at 640x640)",
        TryBind);

    public override void Decode(IReadOnlyList<OrtValue> outputs, in InputTransform transform, float scoreThreshold, List<Candidate> candidates)
    {
        var data = outputs[0].GetTensorDataAsSpan<float>();
        var channels = 4 + ClassCount;

        // N is read from the data, so exports with a dynamic point count decode the same way.
        var points = data.Length / channels;
        if (points == 0 || data.Length != points * channels)
        {
            throw new InvalidOperationException($"Ultralytics output has {data.Length} values, not a multiple of {channels} (4 + {ClassCount} classes).");
        }

        // Channel-major: class c's scores for every point are one contiguous row. Taking the best class per point
        // row by row keeps the reads sequential instead of striding N floats per class.
        var bestScores = ArrayPool<float>.Shared.Rent(points);
        var bestClasses = ArrayPool<int>.Shared.Rent(points);
        try
        {
            var best = bestScores.AsSpan(0, points);
            var classes = bestClasses.AsSpan(0, points);
            data.Slice(4 * points, points).CopyTo(best);
            classes.Clear();
            for (var c = 1; c < ClassCount; c++)
            {
                var row = data.Slice((4 + c) * points, points);
                for (var i = 0; i < points; i++)
                {
                    if (row[i] > best[i])
                    {
                        best[i] = row[i];
                        classes[i] = c;
                    }
                }
            }

            var cxs = data[..points];
            var cys = data.Slice(points, points);
            var ws = data.Slice(2 * points, points);
            var hs = data.Slice(3 * points, points);
            for (var i = 0; i < points; i++)
            {
                if (best[i] <= scoreThreshold)
                {
                    continue;
                }

                // Model-input pixels, centred letterbox: ToOriginal removes the padding and the scale.
                var halfWidth = ws[i] / 2;
                var halfHeight = hs[i] / 2;
                var box = transform.ToOriginal(cxs[i] - halfWidth, cys[i] - halfHeight, cxs[i] + halfWidth, cys[i] + halfHeight);
                candidates.Add(new Candidate(classes[i], best[i], box));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(bestClasses);
            ArrayPool<float>.Shared.Return(bestScores);
        }
    }

    /// <summary>True when <paramref name="points"/> is the point count of the P5 or P6 grids for this input size.</summary>
    public static bool IsGridPointCount(int points, int width, int height) =>
        points == ImageInput.GridPoints(width, height, Strides) || points == ImageInput.GridPoints(width, height, StridesP6);

    private static UltralyticsDecoder? TryBind(ModelSignature signature, ModelOptions options)
    {
        if (!TryGetSingleInputAndOutput(signature, options, out var input, out var output, out var width, out var height)
            || width % 32 != 0 || height % 32 != 0)
        {
            return null;
        }

        // The class count must be fixed by the file; the point count may be dynamic, but when it is fixed it must be
        // a grid's, which is also what tells [1,84,8400] from a YOLOX-style [1,8400,85].
        if (!output.IsFloat || output.Rank != 3 || !output.DimensionIs(0, 1) || output.Dimensions[1] < 5)
        {
            return null;
        }

        var points = output.Dimensions[2];
        if (points >= 0 && !IsGridPointCount(points, width, height))
        {
            return null;
        }

        var spec = new InputSpec(input.Name, width, height, ChannelOrder.Rgb, ResizeMode.LetterboxCenter, PadValue: 114, Scale: 1f / 255f, Offset: 0f);
        return new UltralyticsDecoder(spec, output.Name, output.Dimensions[1] - 4);
    }
}
