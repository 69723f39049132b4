using FaceObject.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FaceObject.ServiceDefaults.Tests.Configuration;

public sealed class ModelCatalogReaderTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Models:face:Type"] = "ultraface",
        ["Models:face:Path"] = "models/version-RFB-640.onnx",
        ["Models:object:Type"] = "yolox",
        ["Models:object:Path"] = "models/yolox_nano.onnx",
        ["Models:object:ScoreThreshold"] = "0.4",
        ["Models:object:Queue"] = "objects",
    };

    [Fact]
    public void Read_ReturnsEveryModelWithItsSettings_WhenTheSectionIsValid()
    {
        var catalog = ModelCatalogReader.Read(Configuration(Valid));

        catalog.Keys.Should().Equal("face", "object");
        catalog.Get("object").ScoreThreshold.Should().Be(0.4f);
        catalog.QueueOf("object").Should().Be("objects");
    }

    [Fact]
    public void Read_NamesTheMissingKey_WhenARequiredSettingIsEmpty()
    {
        var act = () => ModelCatalogReader.Read(Configuration(Valid, ("Models:face:Path", "")));

        act.Should().Throw<OptionsValidationException>().WithMessage("Models:face:Path is required");
    }

    [Fact]
    public void Read_NamesTheKeyTheRangeAndTheValue_WhenAThresholdIsOutOfRange()
    {
        var act = () => ModelCatalogReader.Read(Configuration(Valid, ("Models:object:ScoreThreshold", "3")));

        act.Should().Throw<OptionsValidationException>().WithMessage("Models:object:ScoreThreshold must be between 0 and 1 (got 3)");
    }

    [Fact]
    public void Read_NamesTheKeyWhatIsAcceptedAndTheValue_WhenTheDeviceIsUnknown()
    {
        var act = () => ModelCatalogReader.Read(Configuration(Valid, ("Models:face:Device", "gpu")));

        act.Should().Throw<OptionsValidationException>().WithMessage("Models:face:Device must be one of auto, cpu, cuda (got 'gpu')");
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("CPU")]
    [InlineData(" Cuda ")]
    [InlineData("")]
    public void Read_AcceptsTheDevice_WhenItIsOneTheInferenceStackParses(string device)
    {
        var catalog = ModelCatalogReader.Read(Configuration(Valid, ("Models:face:Device", device)));

        catalog.Get("face").Device.Should().Be(device);
    }

    [Fact]
    public void Read_ReportsEveryProblemAtOnce_WhenSeveralEntriesAreWrong()
    {
        var act = () => ModelCatalogReader.Read(Configuration(Valid,
            ("Models:face:Type", ""), ("Models:object:NmsThreshold", "-0.5"), ("Models:object:IntraOpThreads", "1000")));

        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures;
        failures.Should().BeEquivalentTo(
            "Models:face:Type is required",
            "Models:object:NmsThreshold must be between 0 and 1 (got -0.5)",
            "Models:object:IntraOpThreads must be between 0 and 256 (got 1000)");
    }

    [Fact]
    public void Read_NamesTheKey_WhenAValueIsNotANumber()
    {
        var act = () => ModelCatalogReader.Read(Configuration(Valid, ("Models:object:ScoreThreshold", "high")));

        act.Should().Throw<OptionsValidationException>().WithMessage("*Models:object:ScoreThreshold*");
    }

    [Fact]
    public void Read_SaysWhatIsAccepted_WhenAModelKeyIsNotAQueueName()
    {
        var act = () => ModelCatalogReader.Read(Configuration(new()
        {
            ["Models:Face:Type"] = "ultraface",
            ["Models:Face:Path"] = "models/version-RFB-640.onnx",
        }));

        act.Should().Throw<OptionsValidationException>().WithMessage("Model key 'Face' is not valid: use lower-case letters, digits, '-' and '_'*");
    }

    [Fact]
    public void Read_PointsToTheDocs_WhenNoModelIsConfigured()
    {
        var act = () => ModelCatalogReader.Read(Configuration(new()));

        act.Should().Throw<OptionsValidationException>().WithMessage("No models are configured*docs/models.md*");
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings, params (string Key, string? Value)[] overrides)
    {
        var all = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in overrides)
        {
            all[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(all).Build();
    }
}
