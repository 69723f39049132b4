using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// The model queues' job activator: a DI scope per job, as Hangfire's own, whose <see cref="JobBundle"/> holds the
/// tasks bundled into that job, read from the parameters the fetch brought.
/// </summary>
internal sealed class BundleAwareJobActivator(IServiceScopeFactory scopes) : JobActivator
{
    public override JobActivatorScope BeginScope(JobActivatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<JobBundle>().Load(context.BackgroundJob.ParametersSnapshot);
        return new Scope(scope);
    }

    public override object ActivateJob(Type jobType)
    {
        using var scope = scopes.CreateScope();
        return ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, jobType);
    }

    private sealed class Scope(IServiceScope scope) : JobActivatorScope
    {
        public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

        public override void DisposeScope() => scope.Dispose();
    }
}
