using FaceObject.Api.Submissions;
using FaceObject.Testing;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Api.Tests.Submissions;

public sealed class ImageUploadValidatorTests
{
    private const long MaxBytes = 10_000_000;
    private const long MaxPixels = 50_000_000;

    [Theory]
    [InlineData("dog.jpg")]
    [InlineData("faces_6.jpg")]
    public void Check_AcceptsRealImages(string file) =>
        ImageUploadValidator.Check(TestPaths.ImageBytes(file), MaxBytes, MaxPixels).Should().BeNull();

    [Fact]
    public void Check_Answers400_WhenUploadIsEmpty() =>
        ImageUploadValidator.Check([], MaxBytes, MaxPixels)!.Status.Should().Be(StatusCodes.Status400BadRequest);

    [Fact]
    public void Check_Answers413_WhenUploadIsOverTheByteLimit() =>
        ImageUploadValidator.Check(TestPaths.ImageBytes("dog.jpg"), 1000, MaxPixels)!.Status.Should().Be(StatusCodes.Status413PayloadTooLarge);

    [Fact]
    public void Check_Answers415NamingAcceptedFormats_WhenBytesAreText()
    {
        var problem = ImageUploadValidator.Check("hello, I am a text file"u8, MaxBytes, MaxPixels)!;

        problem.Status.Should().Be(StatusCodes.Status415UnsupportedMediaType);
        problem.Detail.Should().Contain("JPEG, PNG, WebP or BMP");
    }

    [Fact]
    public void Check_Answers415SayingGifIsNotAccepted_WhenBytesAreGif()
    {
        byte[] gif = [.. "GIF89a"u8, 0x10, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00];

        var problem = ImageUploadValidator.Check(gif, MaxBytes, MaxPixels)!;

        problem.Status.Should().Be(StatusCodes.Status415UnsupportedMediaType);
        problem.Detail.Should().Contain("GIF");
    }

    [Fact]
    public void Check_Answers413BeforeDecoding_WhenPngHeaderClaimsTenGigapixels()
    {
        var png = PngHeader(100_000, 100_000);

        var problem = ImageUploadValidator.Check(png, MaxBytes, MaxPixels)!;

        problem.Status.Should().Be(StatusCodes.Status413PayloadTooLarge);
        problem.Detail.Should().Contain("100000x100000");
    }

    [Fact]
    public void Check_Answers422_WhenJpegIsCutBeforeItsSize()
    {
        var truncated = TestPaths.ImageBytes("dog.jpg").AsSpan(0, 20).ToArray();

        ImageUploadValidator.Check(truncated, MaxBytes, MaxPixels)!.Status.Should().Be(StatusCodes.Status422UnprocessableEntity);
    }

    private static byte[] PngHeader(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;
        bytes[25] = 2;
        return bytes;
    }
}
