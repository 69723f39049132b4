using System.Globalization;
using FaceObject.Core.Pipelines;
using Npgsql;
using NpgsqlTypes;

namespace FaceObject.Storage.Postgres;

/// <summary>
/// The pipeline actions' records in PostgreSQL. Values are always bound parameters, sent as text and cast in SQL to
/// the column's type from the catalog (<c>@p0::timestamp with time zone</c>), so a template's text fills any column
/// PostgreSQL can parse it into. Table and column names are looked up in the catalog first and quoted; a name it does
/// not know never reaches SQL text.
/// <para>
/// Each write is idempotent by its operation key: one transaction inserts the key into the ledger table
/// <c>faceobject_pipeline_actions</c> and, only when that insert took, writes the row and stores the answer. A second
/// writer with the same key waits on the key's unique index until the first commits, then reads the stored answer, so a
/// retry or a duplicate delivery never writes twice, even when both run at once.
/// </para>
/// <para>
/// Failures: a lost or refused connection is an <see cref="NpgsqlException"/> (transient: the action job is retried);
/// an unknown table or column, or a value the column cannot take, is an <see cref="InvalidOperationException"/>
/// naming it (retrying will not help). Owns <paramref name="dataSource"/>. Thread-safe.
/// </para>
/// </summary>
internal sealed class PostgresRecordStore(NpgsqlDataSource dataSource) : IPipelineRecordStore, IAsyncDisposable, IDisposable
{
    private const string LedgerSql = $"""
        SELECT pg_advisory_xact_lock(hashtext('{PostgresCatalog.LedgerTable}'));
        CREATE TABLE IF NOT EXISTS {PostgresCatalog.LedgerTable} (
            operation_key text PRIMARY KEY,
            result text NOT NULL,
            done_at timestamptz NOT NULL DEFAULT now())
        """;

    private const string ClaimSql = $"INSERT INTO {PostgresCatalog.LedgerTable} (operation_key, result) VALUES (@key, '') ON CONFLICT DO NOTHING";
    private const string AnswerSql = $"UPDATE {PostgresCatalog.LedgerTable} SET result = @result WHERE operation_key = @key";
    private const string StoredAnswerSql = $"SELECT result FROM {PostgresCatalog.LedgerTable} WHERE operation_key = @key";

    // The ledger keys say which kind of write they stand for: the answer of one kind never passes for the other's.
    private const string CreatePrefix = "create:";
    private const string UpdatePrefix = "update:";

    private volatile bool _ledgerExists;

    public Task<string> CreateRecordAsync(string table, IReadOnlyDictionary<string, string?> fields, string operationKey,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrWhiteSpace(operationKey);
        return OnceAsync(CreatePrefix + operationKey, table, async (connection, target) =>
        {
            if (target.KeyColumns.Count != 1)
            {
                throw new InvalidOperationException(target.Problems(table, []).First());
            }

            await using var command = new NpgsqlCommand { Connection = connection };
            var columns = Columns(table, target, fields.Keys);
            var values = columns.Select((column, i) => Bind(command, $"p{i}", fields[column], target.ColumnTypes[column])).ToList();
            var key = PostgresTable.Quote(target.KeyColumns[0]);
            command.CommandText = columns.Count == 0
                ? $"INSERT INTO {target.QuotedName} DEFAULT VALUES RETURNING {key}::text"
                : $"INSERT INTO {target.QuotedName} ({string.Join(", ", columns.Select(PostgresTable.Quote))}) "
                  + $"VALUES ({string.Join(", ", values)}) RETURNING {key}::text";
            return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);
    }

    public async Task<int> UpdateRecordAsync(string table, string keyField, string keyValue, IReadOnlyDictionary<string, string?> fields,
        string operationKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyField);
        ArgumentNullException.ThrowIfNull(keyValue);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrWhiteSpace(operationKey);
        if (fields.Count == 0)
        {
            throw new ArgumentException($"An update of table '{table}' needs at least one field to set.", nameof(fields));
        }

        var answer = await OnceAsync(UpdatePrefix + operationKey, table, async (connection, target) =>
        {
            await using var command = new NpgsqlCommand { Connection = connection };
            var key = Columns(table, target, [keyField])[0];
            var columns = Columns(table, target, fields.Keys);
            var sets = columns.Select((column, i) => $"{PostgresTable.Quote(column)} = {Bind(command, $"p{i}", fields[column], target.ColumnTypes[column])}");
            command.CommandText = $"UPDATE {target.QuotedName} SET {string.Join(", ", sets)} "
                + $"WHERE {PostgresTable.Quote(key)} = {Bind(command, "key_value", keyValue, target.ColumnTypes[key])}";
            return (await command.ExecuteNonQueryAsync(cancellationToken)).ToString(CultureInfo.InvariantCulture);
        }, cancellationToken);
        return int.Parse(answer, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<string>> CheckAsync(IEnumerable<RecordTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var problems = new List<string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var group in targets.GroupBy(t => t.Table, StringComparer.Ordinal))
        {
            var table = await PostgresCatalog.FindAsync(connection, group.Key, cancellationToken);
            if (table is null)
            {
                problems.Add(await PostgresCatalog.MissingTableAsync(connection, group.Key, cancellationToken));
                continue;
            }

            problems.AddRange(table.Problems(group.Key, group.SelectMany(t => t.Columns)));
        }

        return problems;
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();

    /// <summary>
    /// Runs <paramref name="write"/> at most once per <paramref name="operationKey"/>, in one transaction with the
    /// ledger row that records its answer; returns that answer, the stored one when the key was already done.
    /// </summary>
    private async Task<string> OnceAsync(string operationKey, string table, Func<NpgsqlConnection, PostgresTable, Task<string>> write,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await EnsureLedgerAsync(connection, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (await ExecuteAsync(connection, ClaimSql, operationKey, null, cancellationToken) == 0)
            {
                await using var stored = new NpgsqlCommand(StoredAnswerSql, connection);
                stored.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = operationKey });
                return (string)(await stored.ExecuteScalarAsync(cancellationToken))!;
            }

            var target = await PostgresCatalog.FindAsync(connection, table, cancellationToken)
                ?? throw new InvalidOperationException(await PostgresCatalog.MissingTableAsync(connection, table, cancellationToken));
            var answer = await write(connection, target);
            await ExecuteAsync(connection, AnswerSql, operationKey, answer, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return answer;
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            // Class 22 (data exception) and 23 (constraint violation): the value, not the connection, is wrong.
            throw new InvalidOperationException($"Writing to table '{table}' failed: {e.MessageText}{(e.Detail is { Length: > 0 } d ? $" ({d})" : "")}", e);
        }
    }

    private async Task EnsureLedgerAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_ledgerExists)
        {
            return;
        }

        // CREATE TABLE IF NOT EXISTS is not safe against itself: two first writers (threads or processes) both create,
        // and one fails, or goes on before the other has committed. The advisory lock makes them take turns.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(LedgerSql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _ledgerExists = true;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, string operationKey, string? result, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = operationKey });
        if (result is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("result", NpgsqlDbType.Text) { Value = result });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The configured columns, each checked against the table; an unknown one fails naming the table's columns.</summary>
    private static List<string> Columns(string configuredName, PostgresTable table, IEnumerable<string> columns) =>
        columns.Select(c => table.ColumnTypes.ContainsKey(c) ? c : throw new InvalidOperationException(table.MissingColumn(configuredName, c))).ToList();

    /// <summary>Adds <paramref name="value"/> as a text parameter and returns the SQL that casts it to the column's type.</summary>
    private static string Bind(NpgsqlCommand command, string name, string? value, string columnType)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return $"@{name}::{columnType}";
    }
}
