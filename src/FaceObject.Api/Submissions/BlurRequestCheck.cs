using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Submissions;

/// <summary>
/// Refuses <c>blur</c> options the model cannot honour (an unknown <c>blur_classes</c> name) before the task is
/// accepted, when a process serving the model has reported its classes. Without a report the worker makes the same
/// check and fails the task with the same message, so a typo never silently blurs nothing.
/// </summary>
internal static class BlurRequestCheck
{
    /// <returns>Null when acceptable (or not checkable yet), else the message for a 400.</returns>
    public static async Task<string?> ProblemAsync(string model, DetectionOptions options, IModelReportStore reports, CancellationToken cancellationToken)
    {
        if (!options.Blur)
        {
            return null;
        }

        var report = (await reports.GetAllAsync(cancellationToken))
            .Where(r => r.Model == model)
            .MaxBy(r => r.ReportedAt);
        return report is null || BlurTargets.TryResolve(report.ClassNames, options.BlurClasses, out _, out var problem)
            ? null
            : $"Model '{model}': {problem}";
    }
}
