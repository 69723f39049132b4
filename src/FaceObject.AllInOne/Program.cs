using FaceObject.Api;
using FaceObject.Inference;
using FaceObject.Processing;
using FaceObject.ServiceDefaults.Hosting;
using FaceObject.Streaming;

return FaceObjectHost.Run(
    args,
    "faceobject",
    builder => builder.AddFaceObjectApi(processedInProcess: true).AddFaceObjectProcessing().AddFaceObjectStreaming(),
    app => app.MapFaceObjectApi(),
    isConfigurationError: e => e is ModelLoadException);
