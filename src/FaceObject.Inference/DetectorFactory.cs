using System.Globalization;
using FaceObject.Core.Models;
using FaceObject.Inference.Classification;
using FaceObject.Inference.Decoders;
using FaceObject.Inference.Labels;
using FaceObject.Inference.Runtime;
using Microsoft.Extensions.Logging;

namespace FaceObject.Inference;

/// <summary>
/// Loads configured models. Each call creates a new detector with its own session: call it once per model per
/// process and share the detector. Thread-safe.
/// </summary>
public sealed class DetectorFactory(ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DetectorFactory>();

    /// <summary>
    /// Resolves the path, checks the file is an ONNX model whose inputs and outputs fit <see cref="ModelOptions.Type"/>,
    /// finds the class names and starts the session on the requested device.
    /// </summary>
    /// <param name="key">The model key (<c>Models:{key}</c>), for messages and the detector's identity.</param>
    /// <param name="options">The model's configuration.</param>
    /// <param name="defaultIntraOpThreads">
    /// Intra-op threads when <see cref="ModelOptions.IntraOpThreads"/> is 0. The host knows how many worker threads
    /// share the cores, so it decides (worker threads x intra-op threads should be about the core count).
    /// </param>
    /// <returns>A detector the caller owns and must dispose.</returns>
    /// <exception cref="ModelLoadException">One line naming the key, the path, what was expected and what was found.</exception>
    public IObjectDetector Create(string key, ModelOptions options, int defaultIntraOpThreads = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(options);

        if (!ModelTypes.TryGet(options.Type, out var type))
        {
            var hint = string.Equals(options.Type, ModelCatalog.ClassifierType, StringComparison.OrdinalIgnoreCase)
                ? $" ({ModelCatalog.ClassifierType} models are loaded by {nameof(ClassifierFactory)})"
                : "";
            throw new ModelLoadException($"Model '{key}': type '{options.Type}' is not known{hint}; known detector types: {string.Join(", ", ModelTypes.Names)}.");
        }

        var (path, device) = ModelSource.Check(key, options);
        var scoreThreshold = options.ScoreThreshold ?? type.DefaultScoreThreshold;

        // Types without NMS ignore a configured NmsThreshold (said once in the log) rather than pretend to use it.
        var nmsThreshold = type.DefaultNmsThreshold is { } defaultNms ? options.NmsThreshold ?? defaultNms : (float?)null;
        if (!(scoreThreshold is >= 0 and <= 1) || nmsThreshold is < 0 or > 1)
        {
            throw new ModelLoadException($"Model '{key}': ScoreThreshold ({scoreThreshold}) and NmsThreshold ({nmsThreshold}) must be between 0 and 1.");
        }

        if (nmsThreshold is null && options.NmsThreshold is not null)
        {
            Log.NmsThresholdIgnored(_logger, key, type.Name);
        }

        // A batching detector runs one batch at a time, so by default its session gets every core.
        var derivedThreads = options.MaxBatch > 1 ? Environment.ProcessorCount : defaultIntraOpThreads;
        var (session, signature, threads) = ModelSource.Open(key, options, path, device, derivedThreads, _logger);
        try
        {
            var decoder = type.TryBind(signature, options)
                ?? throw new ModelLoadException($"Model '{key}' ({path}) does not fit type '{type.Name}': expected {type.Expected}; the file has {signature}.");

            IReadOnlyList<string> names;
            string source;
            try
            {
                (names, source) = ClassNames.Resolve(options, session.Session.ModelMetadata.CustomMetadataMap, decoder.BuiltInClassNames);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                throw new ModelLoadException($"Model '{key}' ({path}): {e.Message}.", e);
            }

            if (names.Count != decoder.ClassCount)
            {
                throw new ModelLoadException(
                    $"Model '{key}' ({path}): {source} has {names.Count} class names but the model scores {decoder.ClassCount} classes.");
            }

            if (options.MaxBatch > 1 && signature.Inputs[0].Dimensions is [> 0, ..] fixedBatch)
            {
                throw new ModelLoadException(
                    $"Model '{key}' ({path}): MaxBatch is {options.MaxBatch} but the file's batch dimension is fixed at {fixedBatch[0]}; point Path at its .dynamic.onnx copy (scripts/fetch-models.sh writes it) or set MaxBatch to 1.");
            }

            var maxBatch = Math.Max(1, options.MaxBatch);
            var info = new DetectorInfo(
                key, type.Name, path, decoder.Input.Width, decoder.Input.Height, names, scoreThreshold, nmsThreshold, session.Device, threads, maxBatch);
            var detector = new OnnxObjectDetector(info, session, decoder, maxBatch, TimeSpan.FromMicroseconds(options.MaxDelayMicroseconds));
            var nmsText = nmsThreshold?.ToString(CultureInfo.InvariantCulture) ?? "none";
            Log.ModelLoaded(_logger, key, type.Name, path, session.Device, info.InputWidth, info.InputHeight, names.Count, source, scoreThreshold, nmsText, threads);
            return detector;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
