namespace FaceObject.Testing;

/// <summary>Builds JPEGs that carry EXIF orientation, as phones write them, from plain JPEG bytes.</summary>
public static class JpegExif
{
    /// <summary>
    /// Inserts an APP1 Exif segment holding only an Orientation tag right after the SOI marker. Orientation 6 means
    /// "turn the stored pixels 90 degrees clockwise to view", what a phone held upright writes.
    /// </summary>
    public static byte[] WithOrientation(byte[] jpeg, byte orientation)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG: it does not start with the SOI marker.", nameof(jpeg));
        }

        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22,                           // APP1, length 34
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'I', (byte)'I', 0x2A, 0x00, 0x08, 0, 0, 0,  // little-endian TIFF, IFD0 at 8
            0x01, 0x00,                                       // one entry
            0x12, 0x01, 0x03, 0x00, 0x01, 0, 0, 0, orientation, 0, 0, 0, // Orientation, SHORT, 1
            0, 0, 0, 0,                                       // no next IFD
        ];
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }
}
