using FaceObject.Api;
using FaceObject.Inference;
using FaceObject.Processing;
using FaceObject.ServiceDefaults.Hosting;

return FaceObjectHost.Run(
    args,
    "faceobject",
    builder => builder.AddFaceObjectApi(processedInProcess: true).AddFaceObjectProcessing(),
    app => app.MapFaceObjectApi(),
    isConfigurationError: e => e is ModelLoadException);
