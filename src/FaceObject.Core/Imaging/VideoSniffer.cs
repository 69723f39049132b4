using System.Numerics;

namespace FaceObject.Core.Imaging;

/// <summary>
/// Recognises video containers from their first bytes, so the API can refuse an upload it does not accept (415) and
/// the worker can give the decoder a file name with the right extension. Pure BCL, allocation-free, stateless and
/// thread-safe. Still images: <see cref="ImageSniffer"/>.
/// </summary>
/// <remarks>A positive answer says only that the header looks right; the rest of the file can still fail to decode.</remarks>
public static class VideoSniffer
{
    private static ReadOnlySpan<byte> EbmlMagic => [0x1A, 0x45, 0xDF, 0xA3];

    /// <summary>The EBML DocType element id (<c>42 82</c>).</summary>
    private const uint EbmlDocTypeId = 0x4282;

    public static VideoFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = data.Slice(8, 4);
            if (brand.SequenceEqual("qt  "u8))
            {
                return VideoFormat.QuickTime;
            }

            // HEIF/AVIF still images share the ISO box layout; they are not videos.
            return IsStillImageBrand(brand) ? null : VideoFormat.Mp4;
        }

        // QuickTime files older than the ftyp box start straight with one of these atoms.
        if (data.Length >= 8 && (data.Slice(4, 4).SequenceEqual("moov"u8) || data.Slice(4, 4).SequenceEqual("mdat"u8) || data.Slice(4, 4).SequenceEqual("wide"u8)))
        {
            return VideoFormat.QuickTime;
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("AVI "u8))
        {
            return VideoFormat.Avi;
        }

        if (data.StartsWith(EbmlMagic))
        {
            return ReadEbmlDocType(data);
        }

        return null;
    }

    private static bool IsStillImageBrand(ReadOnlySpan<byte> brand) =>
        brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("avif"u8);

    /// <summary>Walks the EBML header's children for DocType; Matroska when it is absent or unreadable.</summary>
    private static VideoFormat ReadEbmlDocType(ReadOnlySpan<byte> data)
    {
        var pos = EbmlMagic.Length;
        if (!TryReadEbmlSize(data, ref pos, out var headerSize))
        {
            return VideoFormat.Matroska;
        }

        var end = headerSize < 0 ? data.Length : (int)Math.Min(data.Length, pos + headerSize);
        while (pos < end)
        {
            if (!TryReadEbmlId(data, ref pos, out var id) || !TryReadEbmlSize(data, ref pos, out var size) || size < 0 || pos + size > data.Length)
            {
                break;
            }

            if (id == EbmlDocTypeId)
            {
                var docType = data.Slice(pos, (int)size).TrimEnd((byte)0);
                return docType.SequenceEqual("webm"u8) ? VideoFormat.WebM : VideoFormat.Matroska;
            }

            pos += (int)size;
        }

        return VideoFormat.Matroska;
    }

    /// <summary>An element id: 1 to 4 bytes, length marker bits kept as part of the id.</summary>
    private static bool TryReadEbmlId(ReadOnlySpan<byte> data, ref int pos, out uint id)
    {
        id = 0;
        if (pos >= data.Length || data[pos] == 0)
        {
            return false;
        }

        var length = BitOperations.LeadingZeroCount((uint)data[pos]) - 23;
        if (length > 4 || pos + length > data.Length)
        {
            return false;
        }

        for (var i = 0; i < length; i++)
        {
            id = (id << 8) | data[pos + i];
        }

        pos += length;
        return true;
    }

    /// <summary>A data size: 1 to 8 bytes, marker bit removed; -1 when all value bits are set (unknown size).</summary>
    private static bool TryReadEbmlSize(ReadOnlySpan<byte> data, ref int pos, out long size)
    {
        size = 0;
        if (pos >= data.Length || data[pos] == 0)
        {
            return false;
        }

        var length = BitOperations.LeadingZeroCount((uint)data[pos]) - 23;
        if (pos + length > data.Length)
        {
            return false;
        }

        long value = data[pos] & (0xFF >> length);
        var allOnes = value == (0xFF >> length);
        for (var i = 1; i < length; i++)
        {
            value = (value << 8) | data[pos + i];
            allOnes &= data[pos + i] == 0xFF;
        }

        pos += length;
        size = allOnes ? -1 : value;
        return true;
    }
}
