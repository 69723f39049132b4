using FaceObject.Core.Storage;
using FaceObject.Storage.Memory;

namespace FaceObject.Storage.Tests;

public sealed class InMemoryPayloadStoreTests : PayloadStoreContract
{
    protected override IPayloadStore Store { get; } = new InMemoryPayloadStore(TimeProvider.System);
}
