using FaceObject.Core.Models;
using FaceObject.Core.Results;
using FaceObject.Inference.Decoders;
using FaceObject.Inference.Preprocessing;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Tests;

/// <summary>
/// The .dynamic.onnx copies (scripts/make_dynamic_batch.py) run several real images in one Run with the same
/// outputs, image by image, as the original batch-1 files; and a batching detector gives each concurrent caller
/// the detections an unbatched one gives.
/// </summary>
public sealed class DynamicBatchTests
{
    private static readonly string[] Images = ["dog.jpg", "person.jpg", "faces_2.jpg", "giraffe.jpg", "faces_10.jpg"];

    [Theory]
    [InlineData("yolox", "yolox_nano.onnx")]
    [InlineData("ultraface", "version-RFB-320.onnx")]
    [InlineData("ultraface", "version-RFB-640.onnx")]
    public void BatchedOutputs_EqualBatchOneOutputs_ImageByImage(string type, string file)
    {
        using var single = new InferenceSession(TestPaths.Model(file));
        using var batched = new InferenceSession(DynamicBatchModels.Model(file));
        batched.InputMetadata.Values.Single().Dimensions[0].Should().Be(-1, "the copy's batch dimension is symbolic");
        ModelTypes.TryGet(type, out var modelType).Should().BeTrue();
        var decoder = modelType.TryBind(ModelSignature.Read(batched), new ModelOptions { Type = type, Path = file })!;
        var spec = decoder.Input;
        var inputName = single.InputNames[0];
        var pool = new TensorBufferPool(spec.TensorLength, maxRetained: Images.Length);

        var stacked = new float[Images.Length * spec.TensorLength];
        var expected = new List<float[][]>();
        foreach (var (name, index) in Images.Select((n, i) => (n, i)))
        {
            using var image = TestImages.Load(name);
            using var buffer = pool.Rent();
            TensorWriter.Write(image, spec, buffer);
            buffer.Span.CopyTo(stacked.AsSpan(index * spec.TensorLength));
            using var input = OrtValue.CreateTensorValueFromMemory(buffer.Span.ToArray(), [1, 3, spec.Height, spec.Width]);
            using var outputs = single.Run(new RunOptions(), [inputName], [input], single.OutputNames);
            expected.Add(outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray());
        }

        using var all = OrtValue.CreateTensorValueFromMemory(stacked, [Images.Length, 3, spec.Height, spec.Width]);
        using var batchOutputs = batched.Run(new RunOptions(), [inputName], [all], single.OutputNames);

        for (var k = 0; k < batchOutputs.Count; k++)
        {
            batchOutputs[k].GetTensorTypeAndShape().Shape[0].Should().Be(Images.Length);
            var values = batchOutputs[k].GetTensorDataAsSpan<float>();
            var per = values.Length / Images.Length;
            for (var i = 0; i < Images.Length; i++)
            {
                var got = values.Slice(i * per, per).ToArray();
                var want = expected[i][k];
                got.Length.Should().Be(want.Length);
                var worst = got.Zip(want, (g, w) => MathF.Abs(g - w) / Math.Max(1f, MathF.Abs(w))).Max();
                worst.Should().BeLessThan(1e-3f, $"{file} output {single.OutputNames[k]} of {Images[i]} must not depend on its batch");
            }
        }
    }

    [Theory]
    [InlineData("object", "yolox", "yolox_nano.onnx")]
    [InlineData("face", "ultraface", "version-RFB-640.onnx")]
    public async Task BatchingDetector_GivesEachConcurrentCallerTheUnbatchedDetections(string key, string type, string file)
    {
        var factory = new DetectorFactory(NullLoggerFactory.Instance);
        using var unbatched = factory.Create(key, Options(type, TestPaths.Model(file), maxBatch: 1));
        using var batching = factory.Create(key, Options(type, DynamicBatchModels.Model(file), maxBatch: 4));
        batching.Info.MaxBatch.Should().Be(4);
        var images = Images.Select(TestImages.Load).ToArray();
        try
        {
            var expected = images.Select(i => unbatched.Detect(i)).ToArray();
            expected.Should().Contain(d => d.Count > 0, "the images hold things to find");

            // Every image twice, all released together, so calls meet in the batcher (10 callers, batches of up to 4).
            using var start = new Barrier(images.Length * 2);
            var tasks = Enumerable.Range(0, images.Length * 2).Select(n => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(TimeSpan.FromSeconds(30));
                    return (Index: n % images.Length, Result: batching.Detect(images[n % images.Length]));
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToArray();

            foreach (var (index, result) in await Task.WhenAll(tasks))
            {
                ShouldMatch(result, expected[index], Images[index]);
            }

            ((OnnxObjectDetector)batching).BatchRuns.Should().BeInRange(3, tasks.Length - 1, "10 calls at once run in batches of up to 4");
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    [Fact]
    public void Create_RefusesMaxBatch_WhenTheFileFixesTheBatch()
    {
        var factory = new DetectorFactory(NullLoggerFactory.Instance);

        factory.Invoking(f => f.Create("object", Options("yolox", TestPaths.Model("yolox_nano.onnx"), maxBatch: 8)))
            .Should().Throw<ModelLoadException>().WithMessage("*'object'*MaxBatch is 8*fixed at 1*.dynamic.onnx*");
    }

    private static void ShouldMatch(IReadOnlyList<Detection> actual, IReadOnlyList<Detection> expected, string image)
    {
        actual.Select(d => d.ClassName).Should().Equal(expected.Select(d => d.ClassName), image);
        foreach (var (a, e) in actual.Zip(expected))
        {
            a.Confidence.Should().BeApproximately(e.Confidence, 1e-3f, image);
            a.Bbox.X1.Should().BeApproximately(e.Bbox.X1, 0.5f, image);
            a.Bbox.Y1.Should().BeApproximately(e.Bbox.Y1, 0.5f, image);
            a.Bbox.X2.Should().BeApproximately(e.Bbox.X2, 0.5f, image);
            a.Bbox.Y2.Should().BeApproximately(e.Bbox.Y2, 0.5f, image);
        }
    }

    private static ModelOptions Options(string type, string path, int maxBatch) => new()
    {
        Type = type,
        Path = path,
        Labels = type == "yolox" ? TestPaths.Model("coco.names") : null,
        Device = "cpu",
        MaxBatch = maxBatch,
        MaxDelayMicroseconds = 20_000,
    };
}
