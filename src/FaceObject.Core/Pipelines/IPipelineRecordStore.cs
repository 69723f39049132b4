namespace FaceObject.Core.Pipelines;

/// <summary>Records written by pipeline actions (<c>postgresql_create_record</c>, <c>postgresql_update_combined</c>).</summary>
public interface IPipelineRecordStore
{
    /// <summary>
    /// Inserts one row into table with the given column values (text, cast to each column's type); idempotent by
    /// operationKey: a second call with the same key writes nothing and returns the first call's answer. Returns the
    /// new row's primary key value as text.
    /// </summary>
    Task<string> CreateRecordAsync(string table, IReadOnlyDictionary<string, string?> fields, string operationKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the given columns on the rows whose keyField equals keyValue; idempotent by operationKey. Returns how many
    /// rows were updated (the first call's count on a repeat).
    /// </summary>
    Task<int> UpdateRecordAsync(string table, string keyField, string keyValue, IReadOnlyDictionary<string, string?> fields, string operationKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Problems with the tables/columns the given actions name, one line each; empty when all exist.
    /// </summary>
    Task<IReadOnlyList<string>> CheckAsync(IEnumerable<RecordTarget> targets, CancellationToken cancellationToken = default);
}

/// <summary>A table and the columns an action writes.</summary>
public sealed record RecordTarget(string Table, IReadOnlyCollection<string> Columns);
