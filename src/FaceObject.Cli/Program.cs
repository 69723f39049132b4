using FaceObject.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await CliApp.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error, cancel.Token);
