using FaceObject.Worker;

var builder = WebApplication.CreateBuilder(args);
builder.AddFaceObjectWorker(args);
return WorkerStartup.Run(builder);
