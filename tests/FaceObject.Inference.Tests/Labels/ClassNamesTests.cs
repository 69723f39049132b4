using FaceObject.Core.Models;
using FaceObject.Inference.Labels;
using FaceObject.Testing;

namespace FaceObject.Inference.Tests.Labels;

public sealed class ClassNamesTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public void ReadLabelsFile_ReturnsCocoNamesInOrder_WhenCocoNames()
    {
        var names = ClassNames.ReadLabelsFile(TestPaths.Model("coco.names"));

        names.Should().HaveCount(80);
        (names[0], names[16], names[79]).Should().Be(("person", "dog", "toothbrush"));
    }

    [Fact]
    public void ReadLabelsFile_IgnoresTrailingBlankLinesAndCarriageReturns_WhenWrittenOnWindows()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "cat\r\n dog \r\n\r\n\r\n");

            ClassNames.ReadLabelsFile(path).Should().Equal("cat", "dog");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ParseMetadata_ReturnsNamesById_WhenUltralyticsDictionary()
    {
        ClassNames.ParseMetadata("{0: 'person', 1: 'bicycle', 2: \"o'clock\"}").Should().Equal("person", "bicycle", "o'clock");
    }

    [Theory]
    [InlineData("{1: 'person'}")]
    [InlineData("{0: 'a', 2: 'c'}")]
    [InlineData("person,bicycle")]
    [InlineData("")]
    public void ParseMetadata_ReturnsNull_WhenIdsAreNotContiguousFromZero(string value)
    {
        ClassNames.ParseMetadata(value).Should().BeNull();
    }

    [Fact]
    public void Resolve_PrefersMetadata_WhenLabelsFileIsAlsoConfigured()
    {
        var options = new ModelOptions { Labels = TestPaths.Model("coco.names") };
        var metadata = new Dictionary<string, string> { ["names"] = "{0: 'thing'}" };

        var (names, source) = ClassNames.Resolve(options, metadata, builtIn: null);

        names.Should().Equal("thing");
        source.Should().Contain("metadata");
    }

    [Fact]
    public void Resolve_UsesLabelsFile_WhenMetadataNamesDoNotParse()
    {
        var options = new ModelOptions { Labels = TestPaths.Model("coco.names") };
        var metadata = new Dictionary<string, string> { ["names"] = "person,bicycle" };

        var (names, source) = ClassNames.Resolve(options, metadata, builtIn: null);

        names.Should().HaveCount(80);
        source.Should().Contain("coco.names");
    }

    [Fact]
    public void Resolve_UsesMetadata_WhenNoLabelsFile()
    {
        var metadata = new Dictionary<string, string> { ["names"] = "{0: 'thing', 1: 'other'}" };

        ClassNames.Resolve(new ModelOptions(), metadata, builtIn: ["face"]).Names.Should().Equal("thing", "other");
    }

    [Fact]
    public void Resolve_UsesBuiltInNames_WhenNothingElse()
    {
        ClassNames.Resolve(new ModelOptions(), NoMetadata, builtIn: ["face"]).Names.Should().Equal("face");
    }

    [Fact]
    public void Resolve_Throws_WhenNoSourceHasNames()
    {
        var act = () => ClassNames.Resolve(new ModelOptions(), NoMetadata, builtIn: null);

        act.Should().Throw<InvalidOperationException>().WithMessage("*Labels*");
    }
}
