using FaceObject.Core.Tasks;

namespace FaceObject.Core.Tests.Tasks;

public sealed class BlurTargetsTests
{
    private static readonly string[] Coco = ["person", "bicycle", "car", "dog"];

    [Fact]
    public void TryResolve_ReturnsEveryDetection_WhenFaceModelAndNoClassesRequested()
    {
        BlurTargets.TryResolve(["face"], null, out var ids, out _).Should().BeTrue();

        ids.Should().BeEquivalentTo([0]);
    }

    [Fact]
    public void TryResolve_DefaultsToPerson_WhenObjectModelAndNoClassesRequested()
    {
        BlurTargets.TryResolve(Coco, [], out var ids, out _).Should().BeTrue();

        ids.Should().BeEquivalentTo([0]);
    }

    [Fact]
    public void TryResolve_ReturnsRequestedIdsIgnoringCase_WhenClassesExist()
    {
        BlurTargets.TryResolve(Coco, ["Car", "dog"], out var ids, out _).Should().BeTrue();

        ids.Should().BeEquivalentTo([2, 3]);
    }

    [Fact]
    public void TryResolve_FailsListingClasses_WhenARequestedClassIsUnknown()
    {
        BlurTargets.TryResolve(Coco, ["car", "persn"], out _, out var error).Should().BeFalse();

        error.Should().Be("blur_classes 'persn' is not a class of this model; its classes are: person, bicycle, car, dog.");
    }

    [Fact]
    public void TryResolve_FailsAskingForBlurClasses_WhenModelHasNoFaceOrPersonClass()
    {
        BlurTargets.TryResolve(["cat", "dog"], null, out _, out var error).Should().BeFalse();

        error.Should().Contain("needs blur_classes").And.Contain("cat, dog");
    }
}
