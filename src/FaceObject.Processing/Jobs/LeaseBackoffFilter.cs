using Hangfire.Common;
using Hangfire.States;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// A delivery that found its task leased by another worker is scheduled again after the lease duration instead of
/// failing: the running worker will finish the task (the later delivery then sees it ended and does nothing), and
/// if that worker died meanwhile its lease has expired by then and the later delivery restarts the task. Runs before
/// <see cref="Hangfire.AutomaticRetryAttribute"/> (lower order), so a back-off never uses up a retry.
/// </summary>
internal sealed class LeaseBackoffFilter : JobFilterAttribute, IElectStateFilter
{
    public LeaseBackoffFilter() => Order = 0;

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is FailedState { Exception: TaskLeasedException leased })
        {
            context.CandidateState = new ScheduledState(leased.RetryAfter) { Reason = leased.Message };
        }
    }
}
