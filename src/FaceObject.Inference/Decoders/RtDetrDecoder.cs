using FaceObject.Core.Models;
using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Decoders;

/// <summary>
/// Ultralytics RT-DETR exports: planar RGB scaled to 0..1, resized to the input without keeping the aspect ratio
/// (no letterbox); one output <c>[1,Q,4+classes]</c> of Q object queries (300 in the released models), each
/// <c>cx, cy, w, h</c> normalised to 0..1 of the input, then one score per class (already sigmoid-ed). Score =
/// best class score, kept when &gt; the threshold. The queries are a set prediction (one query per object), so
/// no NMS is run.
/// </summary>
internal sealed class RtDetrDecoder(InputSpec input, string outputName, int classCount)
    : SingleOutputDecoder(input, outputName, classCount)
{
    /// <summary>
    /// DETR-style models have a few hundred queries; dense grid detectors have thousands of points. A fixed count
    /// above this is a grid detector (YOLOX's [1,3549,85] would otherwise read as 81 classes).
    /// </summary>
    private const int MaxQueries = 1000;

    public static ModelType Type { get; } = new(
        "rtdetr",
        DefaultScoreThreshold: 0.25f,
        DefaultNmsThreshold: null,
        Expected: $"one input float32[1,3,H,W] and one output float32[1,Q,4+classes] with Q object queries (300 in Ultralytics exports; at most {MaxQueries})",
        TryBind);

    public override void Decode(IReadOnlyList<OrtValue> outputs, in InputTransform transform, float scoreThreshold, List<Candidate> candidates)
    {
        var data = outputs[0].GetTensorDataAsSpan<float>();
        var rowLength = 4 + ClassCount;
        var queries = data.Length / rowLength;
        if (data.Length != queries * rowLength)
        {
            throw new InvalidOperationException($"RT-DETR output has {data.Length} values, not a multiple of {rowLength} (4 + {ClassCount} classes).");
        }

        float width = Input.Width;
        float height = Input.Height;
        for (var q = 0; q < queries; q++)
        {
            var row = data.Slice(q * rowLength, rowLength);
            var scores = row[4..];
            var best = BestClass(scores);

            if (scores[best] <= scoreThreshold)
            {
                continue;
            }

            // Normalised to the input, then model-input pixels, then original pixels through the stretch.
            var cx = row[0] * width;
            var cy = row[1] * height;
            var halfWidth = row[2] * width / 2;
            var halfHeight = row[3] * height / 2;
            var box = transform.ToOriginal(cx - halfWidth, cy - halfHeight, cx + halfWidth, cy + halfHeight);
            candidates.Add(new Candidate(best, scores[best], box));
        }
    }

    private static RtDetrDecoder? TryBind(ModelSignature signature, ModelOptions options)
    {
        // A last dimension equal to the grid points of the input is a channel-major YOLO output ([1,84,8400]), not
        // 8396 classes.
        if (!TryGetSingleInputAndOutput(signature, options, out var input, out var output, out var width, out var height)
            || !output.IsFloat || output.Rank != 3 || !output.DimensionIs(0, 1) || output.Dimensions[2] < 5 || output.Dimensions[1] > MaxQueries
            || UltralyticsDecoder.IsGridPointCount(output.Dimensions[2], width, height))
        {
            return null;
        }

        var spec = new InputSpec(input.Name, width, height, ChannelOrder.Rgb, ResizeMode.Stretch, PadValue: 0, Scale: 1f / 255f, Offset: 0f);
        return new RtDetrDecoder(spec, output.Name, output.Dimensions[2] - 4);
    }
}
