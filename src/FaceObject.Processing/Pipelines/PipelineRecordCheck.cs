using FaceObject.Core.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Data.Common;

namespace FaceObject.Processing.Pipelines;

/// <summary>
/// At start, before any job is taken: every PostgreSQL action's table and columns must exist (and the table have a
/// primary key), and a pipeline with such actions needs <c>ConnectionStrings:Postgres</c>. Anything wrong stops the
/// host with one line per problem, naming the pipeline and the action. A database that cannot be reached at start
/// does not stop it: the actions are retried until it is back, and a missing table is then named by the action's error.
/// </summary>
internal sealed partial class PipelineRecordCheck(PipelineCatalog pipelines, ILogger<PipelineRecordCheck> logger, IPipelineRecordStore? records = null)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var targets = Targets().ToList();
        if (targets.Count == 0)
        {
            return;
        }

        if (records is null)
        {
            throw new OptionsValidationException("Pipelines", typeof(PipelineCatalog),
                [.. targets.Select(t => $"{t.Path}: {t.Type} writes to PostgreSQL, and ConnectionStrings:Postgres is not set; set it, or remove the action.")]);
        }

        var problems = new List<string>();
        try
        {
            foreach (var target in targets)
            {
                problems.AddRange((await records.CheckAsync([target.Target], cancellationToken)).Select(p => $"{target.Path}: {p}"));
            }
        }
        catch (DbException e)
        {
            LogUnchecked(e.Message);
            return;
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException("Pipelines", typeof(PipelineCatalog), problems);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<(string Path, string Type, RecordTarget Target)> Targets()
    {
        foreach (var name in pipelines.Names)
        {
            pipelines.TryGet(name, out var definition);
            for (var i = 0; i < definition.Actions.Count; i++)
            {
                var action = definition.Actions[i];
                if (action.Type is PipelineValidator.CreateRecord or PipelineValidator.UpdateCombined)
                {
                    var columns = action.Fields.Keys.Concat(action.KeyField is { } key ? [key] : []).Distinct(StringComparer.Ordinal).ToList();
                    yield return ($"Pipeline '{name}' actions[{i}]", action.Type, new RecordTarget(action.Table!, columns));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL tables of the pipelines' actions could not be checked at start ({Reason}); the actions retry until the database is reachable")]
    private partial void LogUnchecked(string reason);
}
