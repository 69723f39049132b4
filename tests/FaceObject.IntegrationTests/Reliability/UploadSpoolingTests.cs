using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// Where an upload touches the disk. ASP.NET Core keeps a request body in memory up to the API's form threshold
/// (1 MiB, so a typical photo never touches the disk) and then spools it to a temporary file in <c>ASPNETCORE_TEMP</c> (else the system temp folder) named
/// <c>ASPNETCORE_{guid}.tmp</c>, deleted when the request ends; our code keeps the bytes in the payload store under
/// the task id. The client's file name is never a path: this test holds an upload half-sent and looks.
/// </summary>
public sealed partial class UploadSpoolingTests : IDisposable
{
    private const string HostileName = "../../../../tmp/faceobject-owned.jpg";
    private readonly ServiceCluster _cluster = new(appendOnly: false);
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("faceobject-aspnet-temp-");

    [Fact]
    public async Task LargeUpload_IsSpooledOnlyUnderARandomName_WhenTheClientNameIsAPath()
    {
        var api = await _cluster.StartApiAsync(new Dictionary<string, string?> { ["ASPNETCORE_TEMP"] = _temp.FullName });
        var image = GeneratedImages.Scaled("dog.jpg", 6000, 4500, quality: 100);
        image.Length.Should().BeGreaterThan(3 * 1024 * 1024, "the half sent first must be well past the 1 MiB kept in memory");
        using var upload = new HalfSentUpload(image, HostileName);

        var sending = api.Client.Http.PostAsync(new Uri("/api/detect/object/image", UriKind.Relative), upload);
        await upload.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        var spooled = await FilesAppearingAsync(TimeSpan.FromSeconds(30));
        upload.Resume();
        using var response = await sending;

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        spooled.Should().NotBeEmpty("an upload over 1 MiB is spooled to ASPNETCORE_TEMP while it is read");
        spooled.Should().OnlyContain(path => SpoolName().IsMatch(Path.GetFileName(path)) && Path.GetDirectoryName(path) == _temp.FullName);
        File.Exists("/tmp/faceobject-owned.jpg").Should().BeFalse();
        var task = await api.Client.GetTaskAsync(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task_id"]!.GetValue<string>());
        task!["file_name"]!.GetValue<string>().Should().Be("faceobject-owned.jpg", "the name is kept for display, without its path");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_temp.GetFiles().Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        _temp.GetFiles().Should().BeEmpty("the spooled copy is deleted once the request has ended");
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _temp.Delete(recursive: true);
    }

    private async Task<List<string>> FilesAppearingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var files = _temp.GetFiles("*", SearchOption.AllDirectories).Select(f => f.FullName).ToList();
            if (files.Count > 0)
            {
                return files;
            }

            await Task.Delay(20);
        }

        return [];
    }

    [GeneratedRegex(@"^ASPNETCORE_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$")]
    private static partial Regex SpoolName();

    /// <summary>A multipart body that sends half of its file, then waits for <see cref="Resume"/> before the rest.</summary>
    private sealed class HalfSentUpload : HttpContent
    {
        private const string Boundary = "faceobject-spool-test";
        private readonly byte[] _head;
        private readonly byte[] _file;
        private readonly byte[] _tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HalfSentUpload(byte[] file, string fileName)
        {
            _file = file;
            _head = Encoding.UTF8.GetBytes(
                $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: image/jpeg\r\n\r\n");
            Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        }

        public Task Paused => _paused.Task;

        public void Resume() => _resume.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = _file.Length / 2;
            await stream.WriteAsync(_head);
            await stream.WriteAsync(_file.AsMemory(0, half));
            await stream.FlushAsync();
            _paused.TrySetResult();
            await _resume.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await stream.WriteAsync(_file.AsMemory(half));
            await stream.WriteAsync(_tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _head.Length + _file.Length + _tail.Length;
            return true;
        }
    }
}
