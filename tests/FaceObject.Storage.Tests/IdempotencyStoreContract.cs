using FaceObject.Core.Storage;

namespace FaceObject.Storage.Tests;

/// <summary>The behaviour every idempotency store must have; each store's test class runs all of it.</summary>
public abstract class IdempotencyStoreContract
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    protected abstract IIdempotencyStore Store { get; }

    protected static string NewKey() => "key-" + Guid.NewGuid();

    [Fact]
    public async Task TryClaimAsync_ReturnsNull_WhenKeyIsNew() =>
        (await Store.TryClaimAsync(NewKey(), new IdempotencyClaim("f1", "t1"), Ttl)).Should().BeNull();

    [Fact]
    public async Task TryClaimAsync_ReturnsTheFirstClaimUnchanged_WhenKeyIsUsedAgain()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, new IdempotencyClaim("f1", "t1"), Ttl);

        var again = await Store.TryClaimAsync(key, new IdempotencyClaim("f2", "t2"), Ttl);
        var third = await Store.TryClaimAsync(key, new IdempotencyClaim("f3", "t3"), Ttl);

        again.Should().Be(new IdempotencyClaim("f1", "t1"));
        third.Should().Be(new IdempotencyClaim("f1", "t1"));
    }

    [Fact]
    public async Task TryClaimAsync_LetsExactlyOneWin_WhenManyClaimAtOnce()
    {
        var key = NewKey();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => Store.TryClaimAsync(key, new IdempotencyClaim("f", "t" + i), Ttl))));

        answers.Count(a => a is null).Should().Be(1);
        answers.Where(a => a is not null).Select(a => a!.ResourceId).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task ReleaseAsync_FreesTheKey_WhenItStillHoldsTheClaim()
    {
        var key = NewKey();
        var claim = new IdempotencyClaim("f1", "t1");
        await Store.TryClaimAsync(key, claim, Ttl);

        await Store.ReleaseAsync(key, claim);

        (await Store.TryClaimAsync(key, new IdempotencyClaim("f1", "t2"), Ttl)).Should().BeNull();
    }

    [Fact]
    public async Task ReleaseAsync_KeepsTheKey_WhenItHoldsAnotherClaim()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, new IdempotencyClaim("f1", "t1"), Ttl);

        await Store.ReleaseAsync(key, new IdempotencyClaim("f1", "other"));

        (await Store.TryClaimAsync(key, new IdempotencyClaim("f1", "t2"), Ttl))!.ResourceId.Should().Be("t1");
    }
}
