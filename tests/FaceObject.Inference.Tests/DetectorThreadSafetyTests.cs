namespace FaceObject.Inference.Tests;

public sealed class DetectorThreadSafetyTests(YoloxNanoFixture fixture) : IClassFixture<YoloxNanoFixture>
{
    [Fact]
    public async Task Detect_GivesSequentialResults_WhenCalledFromSeveralThreadsAtOnce()
    {
        string[] files = ["dog.jpg", "person.jpg", "faces_2.jpg", "giraffe.jpg"];
        var images = files.Select(TestImages.Load).ToArray();
        try
        {
            var expected = images.Select(i => fixture.Detector.Detect(i)).ToArray();

            // Every image three times over, all started together, so calls overlap on the shared session and pool.
            using var start = new Barrier(files.Length * 3);
            var tasks = Enumerable.Range(0, files.Length * 3).Select(n => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(TimeSpan.FromSeconds(30));
                    return (Index: n % files.Length, Result: fixture.Detector.Detect(images[n % files.Length]));
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToArray();
            var results = await Task.WhenAll(tasks);

            foreach (var (index, result) in results)
            {
                result.Should().Equal(expected[index], because: $"{files[index]} must not depend on what runs beside it");
            }
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }
}
