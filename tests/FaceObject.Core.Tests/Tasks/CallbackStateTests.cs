using FaceObject.Core.Tasks;

namespace FaceObject.Core.Tests.Tasks;

public sealed class CallbackStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly CallbackState Fresh = new() { Url = "https://hooks.example.com/a" };

    [Fact]
    public void After_FailsAtOnce_WhenErrorIsPermanent()
    {
        var state = Fresh.After(new CallbackAttempt(Now, "address refused", Permanent: true), maxAttempts: 6);

        state.Status.Should().Be(CallbackStatus.Failed);
        state.Attempts.Should().Be(1);
    }

    [Fact]
    public void After_StaysPendingUntilTheLastAttempt_WhenErrorsAreTransient()
    {
        var state = Fresh;
        for (var i = 1; i < 3; i++)
        {
            state = state.After(new CallbackAttempt(Now.AddSeconds(i), "answered 500"), maxAttempts: 3);
            state.Status.Should().Be(CallbackStatus.Pending);
        }

        state.After(new CallbackAttempt(Now.AddSeconds(3), "answered 500"), maxAttempts: 3).Status.Should().Be(CallbackStatus.Failed);
    }

    [Fact]
    public void After_ChangesNothing_WhenAlreadyDelivered()
    {
        var delivered = Fresh.After(CallbackAttempt.Delivered(Now), 3);

        delivered.After(new CallbackAttempt(Now.AddSeconds(1), "late"), 3).Should().BeSameAs(delivered);
    }
}
