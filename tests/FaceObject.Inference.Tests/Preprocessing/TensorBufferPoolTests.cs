using System.Runtime.InteropServices;
using FaceObject.Inference.Preprocessing;

namespace FaceObject.Inference.Tests.Preprocessing;

public sealed class TensorBufferPoolTests
{
    [Fact]
    public void Rent_ReusesReturnedBuffer_WhenPoolRetainsOne()
    {
        var pool = new TensorBufferPool(16, 1);
        float[] first;
        using (var buffer = pool.Rent())
        {
            first = MemoryMarshal.TryGetArray<float>(buffer.Memory, out var segment) ? segment.Array! : [];
        }

        using var again = pool.Rent();
        MemoryMarshal.TryGetArray<float>(again.Memory, out var second).Should().BeTrue();
        second.Array.Should().BeSameAs(first);
    }

    [Fact]
    public void Memory_Throws_WhenBufferWasReturned()
    {
        var buffer = new TensorBufferPool(16, 1).Rent();
        buffer.Dispose();

        buffer.Invoking(b => b.Memory).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Pointer_AddressesFirstFloat_WhenRented()
    {
        using var buffer = new TensorBufferPool(4, 1).Rent();
        buffer.Span[0] = 42f;

        Marshal.PtrToStructure<float>(buffer.Pointer).Should().Be(42f);
    }
}
