using FaceObject.Storage.S3;

namespace FaceObject.Storage;

/// <summary><c>Storage:*</c>: which payload store to use. Checked at start by <see cref="StorageRegistration"/>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>memory</c>, <c>redis</c> or <c>s3</c>; empty means <c>redis</c> when <c>ConnectionStrings:Redis</c> is set, else <c>memory</c>.</summary>
    public string? Kind { get; set; }

    public S3StorageOptions S3 { get; set; } = new();
}
