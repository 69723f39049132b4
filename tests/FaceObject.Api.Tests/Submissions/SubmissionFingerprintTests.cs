using FaceObject.Api.Submissions;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Tests.Submissions;

public sealed class SubmissionFingerprintTests
{
    private static readonly DetectionOptions Options = new() { ScoreThreshold = 0.5f };

    private static string Of(string model = "object", DetectionOptions? options = null, string? name = "a.jpg", byte[]? bytes = null, string kind = "Image") =>
        SubmissionFingerprint.Of(kind, model, options ?? Options, [(name, bytes ?? [1, 2, 3])]);

    [Fact]
    public void Of_IsStable_ForTheSameRequest() => Of().Should().Be(Of()).And.MatchRegex("^[0-9a-f]{64}$");

    [Fact]
    public void Of_Differs_WhenAnyPartDiffers()
    {
        string[] variants =
        [
            Of(),
            Of(model: "face"),
            Of(options: Options with { ScoreThreshold = 0.6f }),
            Of(name: "b.jpg"),
            Of(bytes: [1, 2, 4]),
            Of(kind: "Video"),
        ];

        variants.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Of_Differs_WhenBytesMoveBetweenNameAndContent()
    {
        // Length prefixes keep ("ab", [c]) and ("a", [b, c]) apart.
        var first = SubmissionFingerprint.Of("Image", "object", Options, [("ab", "c"u8.ToArray())]);
        var second = SubmissionFingerprint.Of("Image", "object", Options, [("a", "bc"u8.ToArray())]);

        first.Should().NotBe(second);
    }
}
