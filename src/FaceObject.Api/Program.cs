using FaceObject.Api;
using FaceObject.ServiceDefaults.Hosting;

return FaceObjectHost.Run(args, "faceobject-api", builder => builder.AddFaceObjectApi(), app => app.MapFaceObjectApi());
