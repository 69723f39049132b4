using OpenCvSharp;

namespace FaceObject.Inference.Preprocessing;

/// <summary>
/// Writes an image into a planar float tensor with OpenCV operations only: resize, split into channels, then
/// <c>convertTo</c> with scale and offset straight into Mats that wrap the tensor's planes (the letterbox region is
/// a sub-Mat of each plane). No per-pixel managed loop; the only managed pass is the vectorised fill of the padding.
/// Stateless and thread-safe; the caller owns the buffer.
/// </summary>
internal static class TensorWriter
{
    /// <summary>Fills <paramref name="buffer"/> (<see cref="InputSpec.TensorLength"/> floats) from a CV_8UC3 BGR image.</summary>
    /// <returns>How the image maps onto the input, for mapping boxes back.</returns>
    public static InputTransform Write(Mat image, InputSpec spec, TensorBuffer buffer)
    {
        var transform = InputTransform.For(spec.Resize, image.Width, image.Height, spec.Width, spec.Height);
        if (transform.HasPadding(spec.Width, spec.Height))
        {
            buffer.Span[..spec.TensorLength].Fill((spec.PadValue * spec.Scale) + spec.Offset);
        }

        var resizedSize = new Size(transform.ResizedWidth, transform.ResizedHeight);
        Mat? resized = null;
        var channels = Array.Empty<Mat>();
        try
        {
            var source = image;
            if (image.Width != resizedSize.Width || image.Height != resizedSize.Height)
            {
                resized = new Mat();
                Cv2.Resize(image, resized, resizedSize, 0, 0, InterpolationFlags.Linear);
                source = resized;
            }

            channels = Cv2.Split(source);
            var planeFloats = spec.Width * spec.Height;
            var region = new Rect(transform.Left, transform.Top, transform.ResizedWidth, transform.ResizedHeight);
            for (var c = 0; c < 3; c++)
            {
                // OpenCV channel c is B, G, R; the tensor plane index depends on the order the model wants.
                var plane = spec.Order == ChannelOrder.Bgr ? c : 2 - c;
                var address = buffer.Pointer + (plane * planeFloats * sizeof(float));
                using var planeMat = Mat.FromPixelData(spec.Height, spec.Width, MatType.CV_32FC1, address);
                using var target = planeMat[region];

                // The target already has the right size and type, so convertTo writes in place into the tensor.
                channels[c].ConvertTo(target, MatType.CV_32FC1, spec.Scale, spec.OffsetOf(c));
            }
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }

            resized?.Dispose();
        }

        return transform;
    }
}
