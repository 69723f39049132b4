using Microsoft.Extensions.Logging;

namespace FaceObject.Inference;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Model {Key} ({Type}) loaded from {Path} on {Device}: input {InputWidth}x{InputHeight}, {ClassCount} classes from {ClassSource}, score threshold {ScoreThreshold}, NMS IoU {NmsThreshold}, {IntraOpThreads} intra-op thread(s)")]
    public static partial void ModelLoaded(
        ILogger logger, string key, string type, string path, string device, int inputWidth, int inputHeight, int classCount, string classSource, float scoreThreshold, string nmsThreshold, int intraOpThreads);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Model {Key}: Device is auto but CUDA cannot start ({Reason}); running on the CPU")]
    public static partial void CudaUnavailable(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Model {Key}: NmsThreshold is ignored: type {Type} predicts one box per object and runs no NMS")]
    public static partial void NmsThresholdIgnored(ILogger logger, string key, string type);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Model {Key} (classifier) loaded from {Path} on {Device}: input {InputWidth}x{InputHeight}, heads {Heads}, {IntraOpThreads} intra-op thread(s)")]
    public static partial void ClassifierLoaded(
        ILogger logger, string key, string path, string device, int inputWidth, int inputHeight, string heads, int intraOpThreads);
}
