using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace FaceObject.Inference.Preprocessing;

/// <summary>
/// Input tensor buffers of one fixed length for one detector. The arrays live on the pinned object heap, so OpenCV
/// can write into them through a raw pointer and ONNX Runtime can read them without copying or pinning per call.
/// Thread-safe. Keeps at most <paramref name="maxRetained"/> free buffers; more concurrent callers get fresh ones
/// that are dropped on return.
/// </summary>
internal sealed class TensorBufferPool(int length, int maxRetained)
{
    private readonly ConcurrentQueue<float[]> _free = new();
    private int _freeCount;

    public int Length { get; } = length;

    /// <summary>A buffer with unspecified contents; the caller is its only owner and must dispose it.</summary>
    public TensorBuffer Rent()
    {
        if (_free.TryDequeue(out var array))
        {
            Interlocked.Decrement(ref _freeCount);
        }
        else
        {
            array = GC.AllocateUninitializedArray<float>(Length, pinned: true);
        }

        return new TensorBuffer(this, array);
    }

    internal void Return(float[] array)
    {
        if (Interlocked.Increment(ref _freeCount) <= maxRetained)
        {
            _free.Enqueue(array);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }
}

/// <summary>
/// One rented, pinned tensor buffer. Its single owner disposes it, which gives the array back to the pool;
/// neither <see cref="Memory"/> nor <see cref="Pointer"/> may be used after that. Not thread-safe.
/// </summary>
internal sealed class TensorBuffer : IMemoryOwner<float>
{
    private readonly TensorBufferPool _pool;
    private float[]? _array;

    internal TensorBuffer(TensorBufferPool pool, float[] array)
    {
        _pool = pool;
        _array = array;
    }

    public Memory<float> Memory => Array.AsMemory(0, _pool.Length);

    public Span<float> Span => Array.AsSpan(0, _pool.Length);

    /// <summary>Address of the first float; valid until disposal because the array is pinned for its whole life.</summary>
    public IntPtr Pointer => Marshal.UnsafeAddrOfPinnedArrayElement(Array, 0);

    private float[] Array => _array ?? throw new ObjectDisposedException(nameof(TensorBuffer));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            _pool.Return(array);
        }
    }
}
