using FaceObject.Core.Models;
using FaceObject.Inference.Decoders;
using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Tests.Decoders;

public sealed class YoloxDecoderTests
{
    private const int Row = 85;
    private const int Anchors = 3549;

    private static readonly ModelSignature Nano = new(
        [new TensorSignature("images", "float32", [1, 3, 416, 416])],
        [new TensorSignature("output", "float32", [1, Anchors, Row])]);

    [Fact]
    public void Decode_PlacesBoxOnItsGridCell_WhenStride16()
    {
        var decoder = YoloxDecoder.Type.TryBind(Nano, new ModelOptions())!;
        var output = new float[Anchors * Row];

        // Stride 16 grid (26x26) starts after the 52x52 stride-8 grid; cell (gx=3, gy=2).
        var anchor = (52 * 52) + (2 * 26) + 3;
        var row = output.AsSpan(anchor * Row, Row);
        row[0] = 0.5f;              // dx
        row[1] = 0.25f;             // dy
        row[2] = MathF.Log(2);      // w = 2 x 16
        row[3] = 0;                 // h = 1 x 16
        row[4] = 0.8f;              // objectness
        row[5 + 16] = 0.9f;         // class 16 (dog)
        row[5 + 17] = 0.5f;

        var candidates = DecodeOnce(decoder, output, InputTransform.Letterbox(832, 832, 416, 416, center: false), 0.3f);

        // Centre in input pixels (56, 36), size 32x16; the original is twice the input.
        var candidate = candidates.Should().ContainSingle().Subject;
        candidate.ClassId.Should().Be(16);
        candidate.Score.Should().BeApproximately(0.72f, 1e-6f);
        candidate.Box.X1.Should().BeApproximately(80, 1e-3f);
        candidate.Box.Y1.Should().BeApproximately(56, 1e-3f);
        candidate.Box.X2.Should().BeApproximately(144, 1e-3f);
        candidate.Box.Y2.Should().BeApproximately(88, 1e-3f);
    }

    [Fact]
    public void Decode_KeepsScoreEqualToThreshold_WhenObjectnessTimesClassMeetsIt()
    {
        var decoder = YoloxDecoder.Type.TryBind(Nano, new ModelOptions())!;
        var output = new float[Anchors * Row];
        output[4] = 1f;
        output[5] = 0.5f;
        output[2] = output[3] = 0; // 8x8 box at the first cell

        DecodeOnce(decoder, output, InputTransform.Letterbox(416, 416, 416, 416, center: false), 0.5f).Should().ContainSingle();
        DecodeOnce(decoder, output, InputTransform.Letterbox(416, 416, 416, 416, center: false), 0.51f).Should().BeEmpty();
    }

    [Theory]
    [InlineData(new[] { 1, 3, 416, 416 }, new[] { 1, 3549, 5 })]
    [InlineData(new[] { 1, 3, 416, 416 }, new[] { 1, 3000, 85 })]
    [InlineData(new[] { 1, 3, 400, 416 }, new[] { 1, 3549, 85 })]
    [InlineData(new[] { 1, 1, 416, 416 }, new[] { 1, 3549, 85 })]
    [InlineData(new[] { 1, 3, -1, -1 }, new[] { 1, -1, 85 })]
    public void TryBind_ReturnsNull_WhenShapesDoNotFit(int[] input, int[] output)
    {
        var signature = new ModelSignature([new("images", "float32", input)], [new("output", "float32", output)]);

        YoloxDecoder.Type.TryBind(signature, new ModelOptions()).Should().BeNull();
    }

    [Fact]
    public void TryBind_UsesConfiguredSize_WhenInputIsDynamic()
    {
        var signature = new ModelSignature([new("images", "float32", [1, 3, -1, -1])], [new("output", "float32", [1, -1, 85])]);

        var decoder = YoloxDecoder.Type.TryBind(signature, new ModelOptions { InputWidth = 640, InputHeight = 640 });

        decoder.Should().NotBeNull();
        (decoder!.Input.Width, decoder.Input.Height, decoder.ClassCount).Should().Be((640, 640, 80));
    }

    private static List<Candidate> DecodeOnce(IModelDecoder decoder, float[] output, InputTransform transform, float threshold)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(output, [1, Anchors, Row]);
        var candidates = new List<Candidate>();
        decoder.Decode([value], transform, threshold, candidates);
        return candidates;
    }
}
