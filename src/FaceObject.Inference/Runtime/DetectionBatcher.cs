using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;

namespace FaceObject.Inference.Runtime;

/// <summary>
/// Gathers the pre-processed images of concurrent callers of one model and runs them as one batch: as soon as
/// <c>maxBatch</c> images wait, or <c>maxDelay</c> after the first of them arrived, whichever comes first. One
/// thread of its own runs the batches, one at a time; each caller blocks until its own image's candidates are back.
/// Thread-safe.
/// </summary>
internal sealed class DetectionBatcher : IDisposable
{
    private readonly Action<IReadOnlyList<BatchItem>> _runBatch;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxDelay;
    private readonly Queue<BatchItem> _waiting = new();
    // An object, not a Lock: the batcher thread waits on it with Monitor.Wait.
    private readonly object _gate = new();
    private readonly Thread _thread;
    private bool _stopping;
    private long _runs;

    /// <param name="runBatch">Runs the items as one inference and sets each one's candidates; exceptions go to every caller of the batch.</param>
    public DetectionBatcher(string key, int maxBatch, TimeSpan maxDelay, Action<IReadOnlyList<BatchItem>> runBatch)
    {
        _runBatch = runBatch;
        _maxBatch = maxBatch;
        _maxDelay = maxDelay;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"batcher {key}" };
        _thread.Start();
    }

    /// <summary>How many batches have run so far (each one Run of the session).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Queues one pre-processed image and waits for its candidates (before NMS).</summary>
    public List<Candidate> Run(TensorBuffer input, InputTransform transform, float scoreThreshold)
    {
        using var item = new BatchItem(input, transform, scoreThreshold);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _waiting.Enqueue(item);
            Monitor.PulseAll(_gate);
        }

        item.Done.Wait();
        return item.Error is { } error
            ? throw new InvalidOperationException($"The batched inference failed: {error.Message}", error)
            : item.Candidates;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
    }

    private void Loop()
    {
        while (TakeBatch() is { } batch)
        {
            Interlocked.Increment(ref _runs);
            try
            {
                _runBatch(batch);
            }
            catch (Exception e)
            {
                foreach (var item in batch)
                {
                    item.Error = e;
                }
            }

            foreach (var item in batch)
            {
                item.Done.Set();
            }
        }
    }

    /// <returns>The next batch, or null once disposed and nothing waits.</returns>
    private List<BatchItem>? TakeBatch()
    {
        lock (_gate)
        {
            while (_waiting.Count == 0)
            {
                if (_stopping)
                {
                    return null;
                }

                Monitor.Wait(_gate);
            }

            // The first image waits at most maxDelay for company; a full batch goes at once.
            var deadline = _waiting.Peek().Queued + _maxDelay;
            while (_waiting.Count < _maxBatch && !_stopping)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                Monitor.Wait(_gate, left);
            }

            var batch = new List<BatchItem>(Math.Min(_maxBatch, _waiting.Count));
            while (batch.Count < _maxBatch && _waiting.TryDequeue(out var item))
            {
                batch.Add(item);
            }

            return batch;
        }
    }
}

/// <summary>One caller's image in a batch, and what the batch gives back for it.</summary>
internal sealed class BatchItem(TensorBuffer input, InputTransform transform, float scoreThreshold) : IDisposable
{
    public TensorBuffer Input { get; } = input;

    public InputTransform Transform { get; } = transform;

    public float ScoreThreshold { get; } = scoreThreshold;

    public DateTime Queued { get; } = DateTime.UtcNow;

    public List<Candidate> Candidates { get; } = [];

    public Exception? Error { get; set; }

    public ManualResetEventSlim Done { get; } = new();

    public void Dispose() => Done.Dispose();
}
