using FaceObject.Core.Storage;

namespace FaceObject.Storage.Tests;

/// <summary>The behaviour every payload store must have (memory, Redis, S3); each store's test class runs all of it.</summary>
public abstract class PayloadStoreContract
{
    /// <summary>Larger than one S3 multipart part, so the S3 store streams it in more than one part.</summary>
    protected const int LargeSize = S3.S3PayloadStore.PartSize + (3 << 20);

    protected abstract IPayloadStore Store { get; }

    protected static string NewKey(string extension = "jpg") => PayloadKeys.Original(Guid.CreateVersion7().ToString(), extension);

    protected static byte[] Bytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task GetAsync_ReturnsTheSameBytes_WhenPut()
    {
        var key = NewKey();
        var content = Bytes(1000);
        await Store.PutAsync(key, content, TimeSpan.FromMinutes(5));

        (await Store.GetAsync(key)).Should().Equal(content);
    }

    [Fact]
    public async Task GetAsync_ReturnsTheLatestBytes_WhenPutTwice()
    {
        var key = PayloadKeys.Result(Guid.CreateVersion7().ToString());
        await Store.PutAsync(key, Bytes(10, seed: 1), TimeSpan.FromMinutes(5));
        await Store.PutAsync(key, Bytes(20, seed: 2), TimeSpan.FromMinutes(5));

        (await Store.GetAsync(key)).Should().Equal(Bytes(20, seed: 2));
    }

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenKeyIsUnknown() =>
        (await Store.GetAsync(NewKey())).Should().BeNull();

    [Fact]
    public async Task OpenReadAsync_ReturnsNull_WhenKeyIsUnknown() =>
        (await Store.OpenReadAsync(NewKey())).Should().BeNull();

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenDeleted()
    {
        var key = PayloadKeys.Processed(Guid.CreateVersion7().ToString());
        await Store.PutAsync(key, Bytes(100), TimeSpan.FromMinutes(5));

        await Store.DeleteAsync(key);

        (await Store.GetAsync(key)).Should().BeNull();
    }

    [Fact]
    public async Task DeleteAsync_DoesNotThrow_WhenKeyIsUnknown()
    {
        var act = () => Store.DeleteAsync(NewKey());

        await act.Should().NotThrowAsync();
    }

    [Fact]
    public async Task PutAsync_StoresAStreamOfUnknownLengthWhole_WhenItIsLargerThanOnePart()
    {
        var key = NewKey("mp4");
        var content = Bytes(LargeSize, seed: 7);
        await using (var stream = new ForwardOnlyStream(content))
        {
            await Store.PutAsync(key, stream, length: null, TimeSpan.FromMinutes(5));
        }

        await using var read = await Store.OpenReadAsync(key);
        read.Should().NotBeNull();
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);
        copy.ToArray().Should().Equal(content);
    }

    [Fact]
    public async Task PutAsync_StoresAStream_WhenItIsSmallerThanOnePart()
    {
        var key = NewKey("png");
        var content = Bytes(5000, seed: 3);
        await using var stream = new ForwardOnlyStream(content);

        await Store.PutAsync(key, stream, content.Length, TimeSpan.FromMinutes(5));

        (await Store.GetAsync(key)).Should().Equal(content);
    }

    /// <summary>A request body as Kestrel hands it over: readable once, not seekable, length unknown.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 64 * 1024));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer[..Math.Min(buffer.Length, 64 * 1024)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
