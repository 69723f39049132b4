namespace FaceObject.Cli.Tests;

/// <summary><c>--via</c> and <c>--broker</c>: submitting by message on a Redis stream or a RabbitMQ queue.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task Parse_SubmitsOverHttp_WhenViaIsNotGiven()
    {
        var run = await CliRun.RunAsync("detect", "object", "dog.jpg");

        run.Parsed.Via.Should().Be("http");
        run.Parsed.Broker.Should().BeNull();
    }

    [Theory]
    [InlineData("redis-stream", "redis://:secret@localhost:6379/0")]
    [InlineData("redis-stream", "localhost:6379")]
    [InlineData("amqp", "amqp://guest:guest@localhost:5672/")]
    public async Task Parse_BindsTransportAndBroker_WhenBothAreGiven(string via, string broker)
    {
        var run = await CliRun.RunAsync("detect", "object", "dog.jpg", "--via", via, "--broker", broker);

        run.ExitCode.Should().Be(CliRun.DetectExitCode, run.ToString());
        run.Parsed.Via.Should().Be(via);
        run.Parsed.Broker.Should().Be(broker);
    }

    [Fact]
    public async Task Parse_TakesBrokerFromEnvironment_WhenOptionIsLeftOut()
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["FACEOBJECT_BROKER"] = "amqp://rabbit:5672/" }, "detect", "object", "--url", "https://example.com/a.jpg", "--via", "amqp");

        run.Parsed.Broker.Should().Be("amqp://rabbit:5672/");
    }

    [Theory]
    [InlineData(new[] { "--via", "kafka" }, "kafka")]
    [InlineData(new[] { "--via", "amqp" }, "--via amqp needs --broker URL")]
    [InlineData(new[] { "--via", "amqp", "--broker", "redis://localhost:6379" }, "--broker for --via amqp must look like amqp://")]
    [InlineData(new[] { "--via", "redis-stream", "--broker", "amqp://localhost/" }, "--broker for --via redis-stream must look like redis://")]
    [InlineData(new[] { "--via", "redis-stream", "--broker", "localhost:6379", "--video", "clip.mp4" }, "--video goes over HTTP only")]
    public async Task Parse_IsUsageError_WhenTransportCannotWork(string[] options, string message)
    {
        var run = await CliRun.RunAsync(["detect", "object", "dog.jpg", .. options]);

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.Arguments.Should().BeNull("nothing is sent on a usage error");
        run.Errors.Should().Contain(message);
    }
}
