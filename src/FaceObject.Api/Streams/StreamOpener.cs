using FaceObject.Core.Streams;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Streams;

/// <summary>
/// Adds a stream (or joins the one already reading the camera) and waits up to <see cref="StreamApiOptions.CreateWait"/>
/// for its worker's verdict, so a camera that can never work (not video, refused by the allow-list, a crop outside its
/// frames) is answered as an error and removed, leaving no reader behind.
/// </summary>
internal sealed class StreamOpener(IStreamStore store, IStreamEventBus bus, IOptions<StreamApiOptions> options)
{
    public async Task<StreamOpening> OpenAsync(StreamSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var verdict = new TaskCompletionSource<StreamStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await bus.SubscribeAsync(spec.Id, message =>
        {
            if (message is { Kind: StreamMessageKind.State, State: { State: StreamState.Live or StreamState.Failed } state })
            {
                verdict.TrySetResult(state);
            }

            return ValueTask.CompletedTask;
        }, cancellationToken))
        {
            var added = await store.AddAsync(spec, cancellationToken);
            if (added.Outcome != StreamAddOutcome.Added)
            {
                var existing = added.Stream.Status;
                return new StreamOpening(added.Outcome, added.Stream, existing.State == StreamState.Failed ? existing.LastError ?? "The stream failed." : null);
            }

            await Task.WhenAny(verdict.Task, Task.Delay(options.Value.CreateWait, cancellationToken));
            if (verdict.Task.IsCompletedSuccessfully && verdict.Task.Result.State == StreamState.Failed)
            {
                await store.DeleteAsync(spec.Id, CancellationToken.None);
                return new StreamOpening(StreamAddOutcome.Added, added.Stream, verdict.Task.Result.LastError ?? "The camera cannot be read.");
            }

            return new StreamOpening(StreamAddOutcome.Added, await store.GetAsync(spec.Id, cancellationToken) ?? added.Stream, null);
        }
    }
}
