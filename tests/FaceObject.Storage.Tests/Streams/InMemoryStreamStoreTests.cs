using FaceObject.Core.Streams;
using FaceObject.Storage.Streams;

namespace FaceObject.Storage.Tests.Streams;

public sealed class InMemoryStreamStoreTests : StreamStoreContract
{
    public InMemoryStreamStoreTests()
    {
        var bus = new InMemoryStreamBus();
        var store = new InMemoryStreamStore(bus, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new StreamStoreOptions { SubscriberTimeout = SubscriberTimeout }));
        Bus = bus;
        Store = store;
        Ownership = store;
    }

    protected override IStreamStore Store { get; }

    protected override IStreamOwnership Ownership { get; }

    protected override IStreamEventBus Bus { get; }
}
