using FaceObject.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddFaceObjectApi();

var app = builder.Build();
app.MapFaceObjectApi();
app.Run();

/// <summary>Entry point; public so the test host can start it.</summary>
public partial class Program;
