using System.Text.Json;
using FaceObject.Core.Jobs;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// The tasks that joined the job being performed, beyond its own (<see cref="JobBundles"/>): empty for a job that
/// carries one task. Scoped to one job's performance; <see cref="BundleAwareJobActivator"/> fills it from the job's
/// parameters, which the fetch already read, so knowing them costs no round trip.
/// </summary>
internal sealed class JobBundle
{
    public IReadOnlyList<string> Tasks { get; private set; } = [];

    public void Load(IReadOnlyDictionary<string, string>? jobParameters) => Tasks = Read(jobParameters);

    /// <summary>The bundled task ids in a job's parameters; empty when there are none or they cannot be read.</summary>
    public static IReadOnlyList<string> Read(IReadOnlyDictionary<string, string>? jobParameters) =>
        jobParameters is not null && jobParameters.TryGetValue(JobBundles.TasksParameter, out var json) ? Parse(json) : [];

    public static IReadOnlyList<string> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
