using FaceObject.Worker;

return WorkerStartup.Run(args);
