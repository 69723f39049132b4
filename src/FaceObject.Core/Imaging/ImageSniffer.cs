using System.Buffers.Binary;

namespace FaceObject.Core.Imaging;

/// <summary>
/// Recognises image formats from their first bytes and reads image dimensions from the header without decoding
/// pixels, so the API can refuse what it does not accept (415) or what is too large (413) before a decoder sees the
/// upload. Pure BCL, allocation-free, stateless and thread-safe. Video containers: <see cref="VideoSniffer"/>.
/// </summary>
/// <remarks>
/// A positive answer says only that the header looks right; the rest of the file can still fail to decode.
/// Sizes are those stored in the header: for a JPEG with an EXIF orientation of 90 or 270 degrees the decoded image
/// has width and height swapped, which does not matter for a pixel-count limit.
/// </remarks>
public static class ImageSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (data.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return ImageFormat.Gif;
        }

        // "BM" alone is two bytes of text; a known DIB header size makes a false positive unlikely.
        if (data.Length >= 18 && data.StartsWith("BM"u8) && IsKnownDibHeaderSize(BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(14))))
        {
            return ImageFormat.Bmp;
        }

        return null;
    }

    /// <summary>
    /// Reads width and height in pixels from the header. False when the format is not recognised, the header is
    /// truncated or malformed, or a dimension is zero or does not fit an <see cref="int"/>.
    /// </summary>
    /// <param name="data">The file from its first byte; for JPEG it must reach the frame header (past any EXIF block).</param>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        var found = Sniff(data) switch
        {
            ImageFormat.Jpeg => TryReadJpegSize(data, out width, out height),
            ImageFormat.Png => TryReadPngSize(data, out width, out height),
            ImageFormat.WebP => TryReadWebPSize(data, out width, out height),
            ImageFormat.Bmp => TryReadBmpSize(data, out width, out height),
            ImageFormat.Gif => TryReadGifSize(data, out width, out height),
            _ => false,
        };

        if (!found || width <= 0 || height <= 0)
        {
            width = 0;
            height = 0;
            return false;
        }

        return true;
    }

    private static bool IsKnownDibHeaderSize(uint size) => size is 12 or 40 or 52 or 56 or 64 or 108 or 124;

    private static bool TryReadJpegSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        var pos = 2;
        while (pos < data.Length)
        {
            if (data[pos] != 0xFF)
            {
                return false;
            }

            // Any number of 0xFF fill bytes may precede a marker code.
            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                return false;
            }

            var marker = data[pos++];
            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }

            if (marker is 0xD9 or 0xDA)
            {
                return false; // end of image or start of scan before any frame header
            }

            if (pos + 2 > data.Length)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos));
            if (length < 2)
            {
                return false;
            }

            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): length, precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 7 || pos + 7 > data.Length)
                {
                    return false;
                }

                // A height of 0 means a DNL marker after the first scan defines it; we do not chase that.
                height = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 3));
                width = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 5));
                return true;
            }

            pos += length;
        }

        return false;
    }

    private static bool TryReadPngSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (data.Length < 24 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var w = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(16));
        var h = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20));
        if (w > int.MaxValue || h > int.MaxValue)
        {
            return false;
        }

        width = (int)w;
        height = (int)h;
        return true;
    }

    private static bool TryReadWebPSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (data.Length < 20)
        {
            return false;
        }

        var chunk = data.Slice(12, 4);
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (2 scaling bits above).
            if (data.Length < 30 || data[23] != 0x9D || data[24] != 0x01 || data[25] != 0x2A)
            {
                return false;
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(26)) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(28)) & 0x3FFF;
            return true;
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Lossless: signature 0x2F, then width-1 and height-1 in 14 bits each, little-endian bit order.
            if (data.Length < 25 || data[20] != 0x2F)
            {
                return false;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(21));
            width = (int)(bits & 0x3FFF) + 1;
            height = (int)((bits >> 14) & 0x3FFF) + 1;
            return true;
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Extended: 1 flag byte, 3 reserved, then canvas width-1 and height-1 as 24-bit little-endian.
            if (data.Length < 30)
            {
                return false;
            }

            width = ReadUInt24LittleEndian(data.Slice(24)) + 1;
            height = ReadUInt24LittleEndian(data.Slice(27)) + 1;
            return true;
        }

        return false;
    }

    private static bool TryReadBmpSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(14));
        if (headerSize == 12)
        {
            // OS/2 BITMAPCOREHEADER: unsigned 16-bit dimensions.
            if (data.Length < 22)
            {
                return false;
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(18));
            height = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(20));
            return true;
        }

        if (data.Length < 26)
        {
            return false;
        }

        // BITMAPINFOHEADER and later: signed 32-bit; a negative height marks a top-down bitmap.
        var w = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(18));
        var h = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(22));
        if (h == int.MinValue)
        {
            return false;
        }

        width = w;
        height = Math.Abs(h);
        return true;
    }

    private static bool TryReadGifSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (data.Length < 10)
        {
            return false;
        }

        width = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(6));
        height = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(8));
        return true;
    }

    private static int ReadUInt24LittleEndian(ReadOnlySpan<byte> data) => data[0] | (data[1] << 8) | (data[2] << 16);
}
