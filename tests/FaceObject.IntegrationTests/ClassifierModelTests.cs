using System.Net;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>The all-in-one host with a classifier configured beside the detectors (Models:vehicle, Type classifier).</summary>
public sealed class ClassifierModelTests(ClassifierApiFixture fixture) : IClassFixture<ClassifierApiFixture>
{
    private FaceObjectClient Client => fixture.Host.Client;

    [Fact]
    public async Task Models_ListsTheClassifierServed_WithItsHeadsClasses()
    {
        var model = await Client.WaitForModelServedAsync("vehicle", TimeSpan.FromSeconds(30));

        model["type"]!.GetValue<string>().Should().Be("classifier");
        model["queue"]!.GetValue<string>().Should().Be("vehicle");
        model["classes"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain(["type/truck", "color/white"]);
    }

    [Fact]
    public async Task SubmitImage_Answers400NamingTheDetectors_WhenModelIsAClassifier()
    {
        using var response = await Client.SubmitImageAsync("vehicle", TestPaths.ImageBytes("dog.jpg"), "dog.jpg");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var detail = (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>();
        detail.Should().Contain("'vehicle' is a classifier").And.Contain("Detectors: face, object");
    }
}

/// <summary>The embedded host with the vehicle-attributes classifier added to the shared model settings.</summary>
public sealed class ClassifierApiFixture : IAsyncLifetime
{
    public EmbeddedApiFixture Host { get; } = new();

    public Task InitializeAsync()
    {
        AddVehicleClassifier(Host.Settings);
        return Host.InitializeAsync();
    }

    /// <summary>Models:vehicle, the vehicle-attributes classifier (type and colour heads), as docs/models.md configures it.</summary>
    internal static void AddVehicleClassifier(Dictionary<string, string?> settings)
    {
        settings["Models:vehicle:Type"] = "classifier";
        settings["Models:vehicle:Path"] = TestPaths.Model("vehicle-attributes-recognition-barrier-0039.onnx");
        settings["Models:vehicle:HeadLabels:type"] = TestPaths.Model("vehicle-attributes-recognition-barrier-0039.type.txt");
        settings["Models:vehicle:HeadLabels:color"] = TestPaths.Model("vehicle-attributes-recognition-barrier-0039.color.txt");
    }

    public Task DisposeAsync() => Host.DisposeAsync();
}
