using FaceObject.Core.Models;
using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Decoders;

/// <summary>
/// Ultra-Light-Fast-Generic-Face-Detector (UltraFace RFB/slim), as verified in shared/models/MODELS.md: planar RGB
/// resized to the input without keeping the aspect ratio, <c>(v - 127) / 128</c>; outputs <c>scores [1,N,2]</c>
/// (softmax applied, column 1 = face) and <c>boxes [1,N,4]</c> as x1,y1,x2,y2 in 0..1 of the input. Kept when the
/// face score is &gt; the threshold. One class, <c>face</c>.
/// </summary>
internal sealed class UltraFaceDecoder : IModelDecoder
{
    private const string ScoresOutput = "scores";
    private const string BoxesOutput = "boxes";

    public static ModelType Type { get; } = new(
        "ultraface",
        DefaultScoreThreshold: 0.7f,
        DefaultNmsThreshold: 0.3f,
        Expected: $"one input float32[1,3,H,W] and outputs '{ScoresOutput}' float32[1,N,2] and '{BoxesOutput}' float32[1,N,4]",
        TryBind);

    private static readonly string[] FaceClass = ["face"];

    private UltraFaceDecoder(InputSpec input)
    {
        Input = input;
    }

    public InputSpec Input { get; }

    public IReadOnlyList<string> OutputNames { get; } = [ScoresOutput, BoxesOutput];

    public int ClassCount => 1;

    public IReadOnlyList<string>? BuiltInClassNames => FaceClass;

    public void Decode(IReadOnlyList<OrtValue> outputs, in InputTransform transform, float scoreThreshold, List<Candidate> candidates)
    {
        var scores = outputs[0].GetTensorDataAsSpan<float>();
        var boxes = outputs[1].GetTensorDataAsSpan<float>();
        var count = scores.Length / 2;
        if (boxes.Length != count * 4)
        {
            throw new InvalidOperationException($"UltraFace outputs disagree: {scores.Length} scores and {boxes.Length} box values.");
        }

        float width = Input.Width;
        float height = Input.Height;
        for (var i = 0; i < count; i++)
        {
            var score = scores[(2 * i) + 1];
            if (score <= scoreThreshold)
            {
                continue;
            }

            // Normalised to the input, then to model-input pixels, then back to original pixels.
            var b = boxes.Slice(4 * i, 4);
            var box = transform.ToOriginal(b[0] * width, b[1] * height, b[2] * width, b[3] * height);
            candidates.Add(new Candidate(0, score, box));
        }
    }

    private static UltraFaceDecoder? TryBind(ModelSignature signature, ModelOptions options)
    {
        if (signature.Inputs.Count != 1 || !ImageInput.TryGetSize(signature.Inputs[0], options, out var width, out var height))
        {
            return null;
        }

        if (signature.Output(ScoresOutput) is not { IsFloat: true, Rank: 3 } scores
            || signature.Output(BoxesOutput) is not { IsFloat: true, Rank: 3 } boxes
            || scores.Dimensions[2] != 2
            || boxes.Dimensions[2] != 4
            || (scores.Dimensions[1] > 0 && boxes.Dimensions[1] > 0 && scores.Dimensions[1] != boxes.Dimensions[1]))
        {
            return null;
        }

        return new UltraFaceDecoder(new InputSpec(
            signature.Inputs[0].Name, width, height, ChannelOrder.Rgb, ResizeMode.Stretch, PadValue: 0, Scale: 1f / 128f, Offset: -127f / 128f));
    }
}
