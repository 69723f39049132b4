using FaceObject.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddFaceObjectWorker(args);
return WorkerStartup.Run(builder);
