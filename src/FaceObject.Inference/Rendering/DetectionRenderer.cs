using System.Globalization;
using FaceObject.Core.Results;
using OpenCvSharp;

namespace FaceObject.Inference.Rendering;

/// <summary>
/// Draws on an image in place: anonymising blur over boxes, and annotation (box, class name, confidence). Uses
/// OpenCV operations only. Stateless and thread-safe; callers own the Mats.
/// </summary>
public static class DetectionRenderer
{
    /// <summary>Each blurred box is padded by this fraction of its size on every side, so hair, ears and chin go too.</summary>
    private const float BlurPadding = 0.1f;

    /// <summary>
    /// The longer side of a blurred region keeps this many cells of colour. Six across a face leaves its average
    /// colours and no feature (eyes, mouth, outline) that a person or a face matcher could use.
    /// </summary>
    private const int BlurCells = 6;

    /// <summary>Pixels per cell of the small image the blur's Gaussian runs on.</summary>
    private const int CellPixels = 8;

    private const int JpegQuality = 90;

    // Ultralytics' default palette (BGR), so annotated images look like the ones users already know.
    private static readonly Scalar[] Palette = new[]
    {
        0xFF3838, 0xFF9D97, 0xFF701F, 0xFFB21D, 0xCFD231, 0x48F90A, 0x92CC17, 0x3DDB86, 0x1A9334, 0x00D4BB,
        0x2C99A8, 0x00C2FF, 0x344593, 0x6473FF, 0x0018EC, 0x8438FF, 0x520085, 0xCB38FF, 0xFF95C8, 0xFF37C7,
    }.Select(rgb => new Scalar(rgb & 0xFF, (rgb >> 8) & 0xFF, (rgb >> 16) & 0xFF)).ToArray();

    /// <summary>
    /// Makes each box unrecognisable: the padded region is reduced to a few cells of average colour (area
    /// resampling), Gaussian-blurred so no cell edge is left, and scaled back up smoothly.
    /// </summary>
    /// <param name="image">8-bit BGR, changed in place.</param>
    /// <param name="boxes">In the image's pixels; clipped to the image after padding.</param>
    public static void Blur(Mat image, IEnumerable<BoundingBox> boxes)
    {
        CheckImage(image);
        ArgumentNullException.ThrowIfNull(boxes);
        var bounds = new Rect(0, 0, image.Width, image.Height);
        foreach (var box in boxes)
        {
            var padX = box.Width * BlurPadding;
            var padY = box.Height * BlurPadding;
            var x1 = (int)MathF.Floor(box.X1 - padX);
            var y1 = (int)MathF.Floor(box.Y1 - padY);
            var x2 = (int)MathF.Ceiling(box.X2 + padX);
            var y2 = (int)MathF.Ceiling(box.Y2 + padY);
            var region = Rect.FromLTRB(x1, y1, x2, y2) & bounds;
            if (region.Width < 2 || region.Height < 2)
            {
                continue;
            }

            var longer = Math.Max(region.Width, region.Height);
            var cells = new Size(
                Math.Max(1, (int)Math.Round((double)BlurCells * region.Width / longer)),
                Math.Max(1, (int)Math.Round((double)BlurCells * region.Height / longer)));

            // The Gaussian that hides the cells' edges runs on a small image (CellPixels per cell) and the result is
            // then scaled up smoothly: the same look as blurring at full size, at a cost that does not grow with
            // the box (a person box 700 pixels tall would otherwise need a 117-pixel kernel).
            var blurred = new Size(cells.Width * CellPixels, cells.Height * CellPixels);
            using var roi = new Mat(image, region);
            using var small = new Mat();
            using var smooth = new Mat();
            using var full = new Mat();
            Cv2.Resize(roi, small, cells, 0, 0, InterpolationFlags.Area);
            Cv2.Resize(small, smooth, blurred, 0, 0, InterpolationFlags.Linear);
            Cv2.GaussianBlur(smooth, smooth, new Size(CellPixels + 1, CellPixels + 1), 0, 0, BorderTypes.Reflect101);
            Cv2.Resize(smooth, full, region.Size, 0, 0, InterpolationFlags.Linear);

            // roi is a view into image: copying into it writes the blurred pixels back in place.
            full.CopyTo(roi);
        }
    }

    /// <summary>
    /// Draws each detection's box and a filled label "class 0.86" above it (inside it when there is no room above),
    /// with line width and font scaled to the image. Lower confidences are drawn first, so the best labels are on top.
    /// </summary>
    /// <param name="image">8-bit BGR, changed in place.</param>
    /// <param name="detections">Boxes in the image's pixels.</param>
    public static void Annotate(Mat image, IReadOnlyList<Detection> detections)
    {
        CheckImage(image);
        ArgumentNullException.ThrowIfNull(detections);
        var shorter = Math.Min(image.Width, image.Height);
        var thickness = Math.Max(2, (int)Math.Round(shorter / 300.0));
        var fontScale = Math.Clamp(shorter / 900.0, 0.4, 2.0);
        var textThickness = Math.Max(1, thickness / 2);
        const HersheyFonts font = HersheyFonts.HersheySimplex;

        foreach (var detection in detections.OrderBy(d => d.Confidence))
        {
            var colour = Palette[detection.ClassId % Palette.Length];
            var box = detection.Bbox;
            var topLeft = new Point((int)MathF.Round(box.X1), (int)MathF.Round(box.Y1));
            var bottomRight = new Point((int)MathF.Round(box.X2), (int)MathF.Round(box.Y2));
            Cv2.Rectangle(image, topLeft, bottomRight, colour, thickness, LineTypes.AntiAlias);

            var label = string.Create(CultureInfo.InvariantCulture, $"{detection.ClassName} {detection.Confidence:0.00}");
            var text = Cv2.GetTextSize(label, font, fontScale, textThickness, out var baseline);
            var labelHeight = text.Height + baseline + 4;
            var labelWidth = text.Width + 4;

            // Above the box when it fits, else just inside its top edge; never off the right edge.
            var labelTop = topLeft.Y - labelHeight >= 0 ? topLeft.Y - labelHeight : Math.Min(topLeft.Y, image.Height - labelHeight);
            var labelLeft = Math.Clamp(topLeft.X, 0, Math.Max(0, image.Width - labelWidth));
            var background = new Rect(labelLeft, Math.Max(0, labelTop), labelWidth, labelHeight);
            Cv2.Rectangle(image, background, colour, -1);
            Cv2.PutText(image, label, new Point(background.X + 2, background.Y + 2 + text.Height), font, fontScale,
                TextColourOn(colour), textThickness, LineTypes.AntiAlias);
        }
    }

    /// <summary>Encodes as JPEG (quality 90).</summary>
    /// <returns>The encoded bytes.</returns>
    public static byte[] EncodeJpeg(Mat image)
    {
        CheckImage(image);
        Cv2.ImEncode(".jpg", image, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, JpegQuality));
        return bytes;
    }

    /// <summary>Black on light label backgrounds, white on dark ones (ITU-R BT.601 luma).</summary>
    private static Scalar TextColourOn(Scalar bgr) =>
        (0.114 * bgr.Val0) + (0.587 * bgr.Val1) + (0.299 * bgr.Val2) > 150 ? Scalar.Black : Scalar.White;

    private static void CheckImage(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a non-empty 8-bit BGR image (CV_8UC3); got {image.Type()} {image.Width}x{image.Height}.", nameof(image));
        }
    }
}
