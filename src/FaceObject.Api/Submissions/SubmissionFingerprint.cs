using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Submissions;

/// <summary>
/// What makes two submits the same request for <c>Idempotency-Key</c>: SHA-256 over the kind, the model, the options
/// as stored and each file's name and bytes. Every part is length-prefixed, so no two different requests can run
/// together into the same byte stream.
/// </summary>
internal static class SubmissionFingerprint
{
    public static string Of(string kind, string model, DetectionOptions options, IEnumerable<(string? Name, ReadOnlyMemory<byte> Content)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, Encoding.UTF8.GetBytes(kind));
        Append(hash, Encoding.UTF8.GetBytes(model));
        Append(hash, JsonSerializer.SerializeToUtf8Bytes(options, FaceObjectJson.Options));
        foreach (var (name, content) in files)
        {
            Append(hash, Encoding.UTF8.GetBytes(name ?? ""));
            Append(hash, content.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, ReadOnlySpan<byte> part)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, part.Length);
        hash.AppendData(length);
        hash.AppendData(part);
    }
}
