using FaceObject.Core.Models;
using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Decoders;

/// <summary>
/// YOLOX exports (Megvii), as verified in shared/models/MODELS.md: planar BGR, raw 0..255, top-left letterbox filled
/// with 114; one output <c>[1,N,5+classes]</c> of <c>dx, dy, log w, log h, objectness, class scores</c> (already
/// sigmoid-ed) over grids of strides 8, 16 and 32, each row-major. Score = objectness x best class score, kept when
/// &gt;= the threshold.
/// </summary>
internal sealed class YoloxDecoder(InputSpec input, string outputName, int classCount, int anchorCount)
    : SingleOutputDecoder(input, outputName, classCount)
{
    private static readonly int[] Strides = [8, 16, 32];

    public static ModelType Type { get; } = new(
        "yolox",
        DefaultScoreThreshold: 0.3f,
        DefaultNmsThreshold: 0.45f,
        Expected: "one input float32[1,3,H,W] with H and W multiples of 32, and one output float32[1,N,5+classes] with N the grid points of strides 8/16/32",
        TryBind);

    public override void Decode(IReadOnlyList<OrtValue> outputs, in InputTransform transform, float scoreThreshold, List<Candidate> candidates)
    {
        var data = outputs[0].GetTensorDataAsSpan<float>();
        var rowLength = 5 + ClassCount;
        if (data.Length != anchorCount * rowLength)
        {
            throw new InvalidOperationException($"YOLOX output has {data.Length} values; expected {anchorCount} x {rowLength}.");
        }

        var anchor = 0;
        foreach (var stride in Strides)
        {
            var gridWidth = Input.Width / stride;
            var gridHeight = Input.Height / stride;
            for (var gy = 0; gy < gridHeight; gy++)
            {
                for (var gx = 0; gx < gridWidth; gx++, anchor++)
                {
                    var row = data.Slice(anchor * rowLength, rowLength);
                    var objectness = row[4];

                    // Class scores are at most 1, so a lower objectness cannot reach the threshold.
                    if (objectness < scoreThreshold)
                    {
                        continue;
                    }

                    var classScores = row[5..];
                    var best = BestClass(classScores);

                    var score = objectness * classScores[best];
                    if (score < scoreThreshold)
                    {
                        continue;
                    }

                    // Model-input pixels.
                    var cx = (row[0] + gx) * stride;
                    var cy = (row[1] + gy) * stride;
                    var halfWidth = MathF.Exp(row[2]) * stride / 2;
                    var halfHeight = MathF.Exp(row[3]) * stride / 2;
                    var box = transform.ToOriginal(cx - halfWidth, cy - halfHeight, cx + halfWidth, cy + halfHeight);
                    candidates.Add(new Candidate(best, score, box));
                }
            }
        }
    }

    private static YoloxDecoder? TryBind(ModelSignature signature, ModelOptions options)
    {
        if (!TryGetSingleInputAndOutput(signature, options, out var input, out var output, out var width, out var height)
            || width % 32 != 0 || height % 32 != 0)
        {
            return null;
        }

        var anchors = ImageInput.GridPoints(width, height, Strides);
        if (!output.IsFloat || output.Rank != 3 || !output.DimensionIs(0, 1) || !output.DimensionIs(1, anchors) || output.Dimensions[2] < 6)
        {
            return null;
        }

        var spec = new InputSpec(input.Name, width, height, ChannelOrder.Bgr, ResizeMode.LetterboxTopLeft, PadValue: 114, Scale: 1f, Offset: 0f);
        return new YoloxDecoder(spec, output.Name, output.Dimensions[2] - 5, anchors);
    }
}
