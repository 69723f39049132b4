using System.Text.Json;
using FaceObject.Testing;

namespace FaceObject.Api.Tests;

/// <summary>
/// The enqueue-only API must not carry the inference stack. Each project's NuGet lock file lists its whole closure,
/// projects and packages, direct and transitive, and the test command restores in locked mode, so the lock file is
/// what really gets built.
/// </summary>
public sealed class ProjectGraphTests
{
    [Theory]
    [InlineData("faceobject.processing")]
    [InlineData("faceobject.inference")]
    [InlineData("microsoft.ml.onnxruntime")]
    [InlineData("opencvsharp4")]
    public void ApiClosure_LacksTheInferenceStack_WhenRestored(string prefix) =>
        Closure("FaceObject.Api").Should().NotContain(name => name.StartsWith(prefix, StringComparison.Ordinal));

    [Theory]
    [InlineData("FaceObject.Core")]
    [InlineData("FaceObject.Storage")]
    [InlineData("FaceObject.Inference")]
    [InlineData("FaceObject.SafeHttp")]
    [InlineData("FaceObject.ServiceDefaults")]
    [InlineData("FaceObject.Processing")]
    public void LibraryClosure_NamesNoHost_WhenRestored(string library) =>
        Closure(library).Should().NotContain(["faceobject.api", "faceobject.worker", "faceobject.allinone"]);

    [Fact]
    public void CoreClosure_IsEmpty_BecauseCoreIsBclOnly() => Closure("FaceObject.Core").Should().BeEmpty();

    /// <summary>Every project and package id (lower case, as the lock file writes them) in a project's closure.</summary>
    private static List<string> Closure(string project)
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "src", project, "packages.lock.json");
        using var lockFile = JsonDocument.Parse(File.ReadAllText(path));
        return lockFile.RootElement.GetProperty("dependencies").EnumerateObject()
            .SelectMany(framework => framework.Value.EnumerateObject())
            .Select(dependency => dependency.Name.ToLowerInvariant())
            .Distinct()
            .ToList();
    }
}
