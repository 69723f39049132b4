namespace FaceObject.Core.Jobs;

/// <summary>
/// A detection job may carry more tasks than the one in its arguments: while a queue is backed up, a new task joins
/// the newest job still waiting (<c>Hangfire:MaxTasksPerJob</c>). The extra task ids travel as job parameters, which
/// the dashboard lists on the job's page. These names are a contract between the API and every deployed worker.
/// </summary>
public static class JobBundles
{
    /// <summary>The job parameter holding the ids of the tasks that joined the job, oldest first, as a JSON array of strings.</summary>
    public const string TasksParameter = "BundledTasks";

    /// <summary>The job parameter holding how many tasks the job carries in all (its own task included).</summary>
    public const string SizeParameter = "BundleSize";
}
