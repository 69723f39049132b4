using FaceObject.Core.Results;
using FaceObject.Inference.Preprocessing;

namespace FaceObject.Inference.Tests.Preprocessing;

public sealed class InputTransformTests
{
    [Fact]
    public void Letterbox_FitsLongSideAndPadsBelow_WhenLandscapeIntoSquare()
    {
        var t = InputTransform.Letterbox(768, 576, 416, 416, center: false);

        t.ScaleX.Should().BeApproximately(416f / 768, 1e-6f);
        t.ScaleY.Should().Be(t.ScaleX);
        (t.ResizedWidth, t.ResizedHeight, t.Left, t.Top).Should().Be((416, 312, 0, 0));
        t.HasPadding(416, 416).Should().BeTrue();
    }

    [Fact]
    public void Letterbox_FitsTallSideAndPadsRight_WhenPortraitIntoSquare()
    {
        var t = InputTransform.Letterbox(500, 1000, 416, 416, center: false);

        t.ScaleX.Should().BeApproximately(0.416f, 1e-6f);
        (t.ResizedWidth, t.ResizedHeight, t.Left, t.Top).Should().Be((208, 416, 0, 0));
    }

    [Fact]
    public void Letterbox_TruncatesResizedSize_LikeYoloxReference()
    {
        // 773 x 512 -> r = 416/773 = 0.53816; 512 * r = 275.5, which YOLOX's int() makes 275.
        var t = InputTransform.Letterbox(773, 512, 416, 416, center: false);

        (t.ResizedWidth, t.ResizedHeight).Should().Be((416, 275));
    }

    [Fact]
    public void Letterbox_SplitsPaddingAroundImage_WhenCentered()
    {
        var t = InputTransform.Letterbox(768, 576, 640, 640, center: true);

        (t.ResizedWidth, t.ResizedHeight, t.Left, t.Top).Should().Be((640, 480, 0, 80));
    }

    [Fact]
    public void Letterbox_KeepsAtLeastOnePixel_WhenImageIsExtremelyThin()
    {
        var t = InputTransform.Letterbox(10_000, 1, 416, 416, center: false);

        (t.ResizedWidth, t.ResizedHeight).Should().Be((416, 1));
    }

    [Fact]
    public void ToOriginal_DividesByRatio_WhenTopLeftLetterbox()
    {
        var t = InputTransform.Letterbox(768, 576, 416, 416, center: false);

        var box = t.ToOriginal(52, 26, 104, 130);

        box.X1.Should().BeApproximately(96, 1e-3f);
        box.Y1.Should().BeApproximately(48, 1e-3f);
        box.X2.Should().BeApproximately(192, 1e-3f);
        box.Y2.Should().BeApproximately(240, 1e-3f);
    }

    [Fact]
    public void ToOriginal_RemovesPaddingOffset_WhenCentered()
    {
        var t = InputTransform.Letterbox(768, 576, 640, 640, center: true);

        t.ToOriginal(0, 80, 640, 560).Should().Be(new BoundingBox(0, 0, 768, 576));
    }

    [Fact]
    public void ToOriginal_ScalesAxesSeparately_WhenStretched()
    {
        var t = InputTransform.Stretch(1024, 768, 640, 480);

        t.HasPadding(640, 480).Should().BeFalse();
        t.ToOriginal(320, 240, 640, 480).Should().Be(new BoundingBox(512, 384, 1024, 768));
    }

    [Fact]
    public void ToOriginal_ClipsToOriginalImage_WhenBoxReachesIntoPadding()
    {
        var t = InputTransform.Letterbox(768, 576, 416, 416, center: false);

        var box = t.ToOriginal(-10, 300, 500, 416);

        box.Should().Be(new BoundingBox(0, 300 / t.ScaleY, 768, 576));
    }
}
