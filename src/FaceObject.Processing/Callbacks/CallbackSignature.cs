using System.Security.Cryptography;
using System.Text;

namespace FaceObject.Processing.Callbacks;

/// <summary>The <c>X-FaceObject-Signature</c> value: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes.</summary>
public static class CallbackSignature
{
    public const string Header = "X-FaceObject-Signature";

    public static string Compute(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }
}
