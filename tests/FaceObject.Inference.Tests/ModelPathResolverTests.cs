namespace FaceObject.Inference.Tests;

public sealed class ModelPathResolverTests
{
    [Fact]
    public void Resolve_ReturnsPathUnchanged_WhenAbsolute()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "does-not-matter.onnx");

        ModelPathResolver.Resolve(absolute).Should().Be(absolute);
    }

    [Fact]
    public void Resolve_FindsFileInAncestorOfApplicationFolder_WhenRelative()
    {
        // The test binaries live in .../bin/Debug/net10.0; a file two levels up must be found by its bare name.
        var ancestor = Directory.GetParent(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!.Parent!.FullName;
        var name = $"resolver-test-{Guid.NewGuid():N}.onnx";
        var file = Path.Combine(ancestor, name);
        File.WriteAllBytes(file, [1]);
        try
        {
            ModelPathResolver.Resolve(name).Should().Be(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Resolve_ReturnsCurrentDirectoryCandidate_WhenNothingExists()
    {
        var name = Path.Combine("models", $"missing-{Guid.NewGuid():N}.onnx");

        ModelPathResolver.Resolve(name).Should().Be(Path.Combine(Environment.CurrentDirectory, name));
    }
}
