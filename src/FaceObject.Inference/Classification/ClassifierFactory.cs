using FaceObject.Core.Models;
using FaceObject.Inference.Decoders;
using FaceObject.Inference.Labels;
using FaceObject.Inference.Preprocessing;
using FaceObject.Inference.Runtime;
using Microsoft.Extensions.Logging;

namespace FaceObject.Inference.Classification;

/// <summary>
/// Loads configured <c>classifier</c> models: one float32 BGR image input <c>[1,3,H,W]</c> (raw 0..255, minus
/// <see cref="ModelOptions.Mean"/> when set), any number of float outputs, each a class head with a labels file or a
/// one-number value head. Each call creates a classifier with its own session: call it once per model per process.
/// </summary>
public sealed class ClassifierFactory(ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ClassifierFactory>();

    /// <returns>A classifier the caller owns and must dispose.</returns>
    /// <exception cref="ModelLoadException">One line naming the key, the path, what was expected and what was found.</exception>
    public IImageClassifier Create(string key, ModelOptions options, int defaultIntraOpThreads = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(options.Type, ModelCatalog.ClassifierType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException($"Model '{key}': type '{options.Type}' is not '{ModelCatalog.ClassifierType}'.");
        }

        var (path, device) = ModelSource.Check(key, options);
        if (options.Mean is { Length: not 3 } mean)
        {
            throw new ModelLoadException($"Model '{key}': Mean has {mean.Length} values; give three (B, G, R), e.g. [104, 117, 123].");
        }

        var (session, signature, threads) = ModelSource.Open(key, options, path, device, defaultIntraOpThreads, _logger);
        try
        {

            if (signature.Inputs is not [var inputSignature] || !ImageInput.TryGetSize(inputSignature, options, out var width, out var height))
            {
                throw new ModelLoadException(
                    $"Model '{key}' ({path}) does not fit type '{ModelCatalog.ClassifierType}': expected one float32 image input [1,3,H,W]; the file has {signature}.");
            }

            var heads = Heads(key, path, signature, options);
            var input = new InputSpec(inputSignature.Name, width, height, ChannelOrder.Bgr, ResizeMode.Stretch, 0, 1f, 0f)
            {
                ChannelOffsets = options.Mean?.Select(m => -m).ToArray(),
            };
            var info = new ClassifierInfo(key, path, width, height, heads, options.TopK, session.Device, threads);
            var classifier = new OnnxClassifier(info, session, input);
            var described = info.DescribeHeads();
            Log.ClassifierLoaded(_logger, key, path, session.Device, width, height, described, threads);
            return classifier;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static List<ClassifierHead> Heads(string key, string path, ModelSignature signature, ModelOptions options)
    {
        var outputNames = signature.Outputs.Select(o => o.Name).ToList();
        var unknown = options.HeadLabels.Keys.Except(outputNames, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ModelLoadException(
                $"Model '{key}' ({path}): HeadLabels names {string.Join(", ", unknown)}, which the model does not output; its outputs: {string.Join(", ", outputNames)}.");
        }

        var heads = new List<ClassifierHead>();
        foreach (var output in signature.Outputs)
        {
            if (!output.IsFloat || output.Rank < 1 || !output.DimensionIs(0, 1))
            {
                throw new ModelLoadException($"Model '{key}' ({path}): output {output} is not a float32 [1,N,...] score tensor.");
            }

            // [1,N], [1,N,1,1]: the classes are the product of the fixed dimensions after the batch.
            var dims = output.Dimensions.Skip(1).ToList();
            int? count = dims.All(d => d > 0) ? dims.Aggregate(1, (a, d) => a * d) : null;
            var labels = options.HeadLabels.TryGetValue(output.Name, out var headLabels)
                ? headLabels
                : signature.Outputs.Count == 1 ? options.Labels : null;
            if (string.IsNullOrWhiteSpace(labels))
            {
                if (count != 1)
                {
                    throw new ModelLoadException(
                        $"Model '{key}' ({path}): output {output} scores {(count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "a dynamic number of")} classes but has no labels; set Models:{key}:HeadLabels:{output.Name} (or Labels for a one-output model) to a names file.");
                }

                heads.Add(new ClassifierHead(output.Name, null));
                continue;
            }

            var labelsPath = ModelPathResolver.Resolve(labels);
            if (!File.Exists(labelsPath))
            {
                throw new ModelLoadException($"Model '{key}' ({path}): labels file '{labelsPath}' of output {output.Name} does not exist.");
            }

            var names = ClassNames.ReadLabelsFile(labelsPath);
            if (count is { } n && names.Count != n)
            {
                throw new ModelLoadException(
                    $"Model '{key}' ({path}): labels file '{labelsPath}' has {names.Count} names but output {output} scores {n} classes.");
            }

            heads.Add(new ClassifierHead(output.Name, names));
        }

        return heads;
    }
}
