using System.Buffers.Binary;
using System.Text;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// Broken and hostile uploads, built in code (seeded where random) so the corpus is reviewable and reproducible
/// without committed binaries.
/// </summary>
internal static class HostileCorpus
{
    public static byte[] ValidJpeg => TestPaths.ImageBytes("dog.jpg");

    /// <summary>Bytes with no recognisable format.</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The first half of a valid JPEG: the header is intact, the scan data stops mid-way.</summary>
    public static byte[] TruncatedJpeg() => ValidJpeg[..(ValidJpeg.Length / 2)];

    /// <summary>A JPEG start-of-image marker followed by a destroyed header: no segment can be parsed.</summary>
    public static byte[] CorruptHeaderJpeg()
    {
        var bytes = ValidJpeg.ToArray();
        Array.Fill(bytes, (byte)0x00, 3, 600);
        return bytes;
    }

    /// <summary>
    /// A JPEG whose header is valid (JFIF, a 64x48 baseline frame header) and whose body is garbage with no
    /// markers: it passes every check the API makes from the header, and can never decode.
    /// </summary>
    public static byte[] NonDecodableJpeg()
    {
        using var stream = new MemoryStream();
        stream.Write([0xFF, 0xD8]);
        stream.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        stream.Write([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 48, 0x00, 64, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        var garbage = RandomBytes(4096, seed: 11);
        for (var i = 0; i < garbage.Length; i++)
        {
            garbage[i] = (byte)(garbage[i] % 0xFF);
        }

        stream.Write(garbage);
        stream.Write([0xFF, 0xD9]);
        return stream.ToArray();
    }

    /// <summary>A well-formed PNG (signature, IHDR with a right CRC, one IDAT, IEND) whose header claims the given size.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        WriteChunk(stream, "IHDR", header);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>A two-frame, looping GIF89a (NETSCAPE2.0 extension), 2x2 pixels.</summary>
    public static byte[] AnimatedGif()
    {
        using var stream = new MemoryStream();
        stream.Write("GIF89a"u8);
        stream.Write([0x02, 0x00, 0x02, 0x00, 0x80, 0x00, 0x00]);
        stream.Write([0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF]);
        stream.Write([0x21, 0xFF, 0x0B]);
        stream.Write("NETSCAPE2.0"u8);
        stream.Write([0x03, 0x01, 0x00, 0x00, 0x00]);
        for (var frame = 0; frame < 2; frame++)
        {
            stream.Write([0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00]);
            stream.Write([0x2C, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00]);
            stream.Write([0x02, 0x02, 0x44, 0x01, 0x00]);
        }

        stream.WriteByte(0x3B);
        return stream.ToArray();
    }

    public static byte[] Text() => Encoding.UTF8.GetBytes("This is a text file with a .jpg name, not a photograph.\n");

    /// <summary>
    /// One random mutation of <paramref name="source"/>: flipped bytes, a truncation, inserted random bytes, an
    /// overwritten run, or a duplicated run, any of them anywhere in the file, header included.
    /// </summary>
    public static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = source.ToList();
        switch (random.Next(5))
        {
            case 0:
                for (var i = random.Next(1, 16); i > 0; i--)
                {
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1:
                return source[..random.Next(1, source.Length)];
            case 2:
                var inserted = new byte[random.Next(1, 512)];
                random.NextBytes(inserted);
                bytes.InsertRange(random.Next(bytes.Count), inserted);
                break;
            case 3:
                var start = random.Next(bytes.Count);
                var length = Math.Min(random.Next(1, 256), bytes.Count - start);
                for (var i = start; i < start + length; i++)
                {
                    bytes[i] = (byte)random.Next(256);
                }

                break;
            default:
                var from = random.Next(bytes.Count);
                var run = bytes.GetRange(from, Math.Min(random.Next(1, 2048), bytes.Count - from));
                bytes.InsertRange(random.Next(bytes.Count), run);
                break;
        }

        return [.. bytes];
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
