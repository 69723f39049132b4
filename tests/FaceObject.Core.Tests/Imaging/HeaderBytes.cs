using System.Buffers.Binary;
using System.Text;

namespace FaceObject.Core.Tests.Imaging;

/// <summary>Hand-made container headers: just enough bytes for a sniffer, no pixel data.</summary>
internal static class HeaderBytes
{
    public static byte[] Png(uint width, uint height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8; // bit depth
        bytes[25] = 6; // RGBA
        return bytes;
    }

    public static byte[] Gif(ushort width, ushort height)
    {
        var bytes = new byte[13];
        "GIF89a"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), height);
        return bytes;
    }

    public static byte[] Bmp(int width, int height)
    {
        var bytes = new byte[54];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), 54);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), 24);
        return bytes;
    }

    public static byte[] BmpCore(ushort width, ushort height)
    {
        var bytes = new byte[26];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), 12);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(20), height);
        return bytes;
    }

    public static byte[] WebPLossy(int width, int height)
    {
        var bytes = RiffWebP("VP8 ", 30);
        bytes[23] = 0x9D;
        bytes[24] = 0x01;
        bytes[25] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), (ushort)height);
        return bytes;
    }

    public static byte[] WebPLossless(int width, int height)
    {
        var bytes = RiffWebP("VP8L", 25);
        bytes[20] = 0x2F;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(21), (uint)(width - 1) | ((uint)(height - 1) << 14));
        return bytes;
    }

    public static byte[] WebPExtended(int width, int height)
    {
        var bytes = RiffWebP("VP8X", 30);
        WriteUInt24(bytes.AsSpan(24), width - 1);
        WriteUInt24(bytes.AsSpan(27), height - 1);
        return bytes;
    }

    public static byte[] Riff(string form)
    {
        var bytes = new byte[16];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 1000);
        Encoding.ASCII.GetBytes(form).CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>An ISO base media file start: a <c>ftyp</c> box with the given major brand.</summary>
    public static byte[] Ftyp(string brand)
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 24);
        "ftyp"u8.CopyTo(bytes.AsSpan(4));
        Encoding.ASCII.GetBytes(brand).CopyTo(bytes, 8);
        "isom"u8.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    /// <summary>An EBML header as mkvmerge writes it, with the DocType element only when <paramref name="docType"/> is given.</summary>
    public static byte[] Ebml(string? docType)
    {
        var body = new List<byte>
        {
            0x42, 0x86, 0x81, 0x01, // EBMLVersion 1
            0x42, 0xF7, 0x81, 0x01, // EBMLReadVersion 1
            0x42, 0xF2, 0x81, 0x04, // EBMLMaxIDLength 4
            0x42, 0xF3, 0x81, 0x08, // EBMLMaxSizeLength 8
        };
        if (docType is not null)
        {
            body.AddRange([0x42, 0x82, (byte)(0x80 | docType.Length)]);
            body.AddRange(Encoding.ASCII.GetBytes(docType));
        }

        body.AddRange([0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02]); // DocTypeVersion, DocTypeReadVersion
        return [0x1A, 0x45, 0xDF, 0xA3, (byte)(0x80 | body.Count), .. body, 0x18, 0x53, 0x80, 0x67];
    }

    private static byte[] RiffWebP(string chunk, int length)
    {
        var bytes = Riff("WEBP");
        Array.Resize(ref bytes, length);
        Encoding.ASCII.GetBytes(chunk).CopyTo(bytes, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), (uint)(length - 20));
        return bytes;
    }

    private static void WriteUInt24(Span<byte> span, int value)
    {
        span[0] = (byte)value;
        span[1] = (byte)(value >> 8);
        span[2] = (byte)(value >> 16);
    }
}
