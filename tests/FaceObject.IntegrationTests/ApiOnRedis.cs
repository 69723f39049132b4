using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>An API-only host that enqueues into a test's own Redis, with no worker: for tests that need no model.</summary>
internal static class ApiOnRedis
{
    /// <summary>Starts the API with the shared model settings plus <paramref name="settings"/>, adds it to <paramref name="started"/> (for the test to dispose) and waits until it answers.</summary>
    public static async Task<FaceObjectClient> StartAsync(RedisServer redis, Dictionary<string, string?> settings, ICollection<ServiceProcess> started)
    {
        var all = ServiceProcess.SharedModelSettings();
        all["ConnectionStrings:Redis"] = redis.ConnectionString;
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = ServiceProcess.StartApi(url, all);
        started.Add(api);
        await api.WaitForHttpAsync(url + "/livez", TimeSpan.FromSeconds(60));
        return new FaceObjectClient(url);
    }
}
