using Npgsql;
using NpgsqlTypes;

namespace FaceObject.Storage.Postgres;

/// <summary>
/// Looks tables up in <c>pg_catalog</c>. A configured name is <c>schema.table</c> or a bare table found through the
/// connection's <c>search_path</c> (first schema wins, as in SQL). Names are matched exactly as the catalog spells
/// them: a table created without quotes is lower-case.
/// </summary>
internal static class PostgresCatalog
{
    /// <summary>Where the ledger's own table is kept out of the table list that error messages print.</summary>
    public const string LedgerTable = "faceobject_pipeline_actions";

    // One round trip: every live column of the table, its type and whether it is in the primary key.
    // format_type(..., NULL) drops the length/precision (varchar(20) → character varying): a cast to it never
    // truncates, and the assignment to the column then fails on a value that is too long instead of cutting it.
    private const string ColumnsSql = """
        SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, NULL),
               COALESCE(a.attnum = ANY (i.indkey), false)
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE c.relkind IN ('r', 'p') AND c.relname = @name
          AND (CASE WHEN @schema IS NULL THEN n.nspname = ANY (current_schemas(false)) ELSE n.nspname = @schema END)
        ORDER BY array_position(current_schemas(false), n.nspname), a.attnum
        """;

    // The tables a configuration could name, bare where the search_path finds them, for "tables: ..." lines.
    private const string TablesSql = """
        SELECT CASE WHEN n.nspname = ANY (current_schemas(false)) THEN c.relname::text ELSE n.nspname || '.' || c.relname END AS shown
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_%' AND c.relname <> @ledger
        ORDER BY shown
        """;

    private const int ListedTables = 50;

    /// <summary>The table <paramref name="configuredName"/> names, or null when there is none.</summary>
    public static async Task<PostgresTable?> FindAsync(NpgsqlConnection connection, string configuredName, CancellationToken cancellationToken)
    {
        var (schema, name) = Split(configuredName);
        await using var command = new NpgsqlCommand(ColumnsSql, connection);
        command.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = name });
        command.Parameters.Add(new NpgsqlParameter("schema", NpgsqlDbType.Text) { Value = (object?)schema ?? DBNull.Value });
        string? foundSchema = null;
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // A bare name in two schemas of the search_path: the first one's columns only.
            foundSchema ??= reader.GetString(0);
            if (reader.GetString(0) != foundSchema)
            {
                break;
            }

            var column = reader.GetString(2);
            types[column] = reader.GetString(3);
            order.Add(column);
            if (reader.GetBoolean(4))
            {
                keys.Add(column);
            }
        }

        return foundSchema is null ? null : new PostgresTable(foundSchema, name, types, order, keys);
    }

    /// <summary>"table 'x' does not exist; tables: a, b." (the first <see cref="ListedTables"/> names).</summary>
    public static async Task<string> MissingTableAsync(NpgsqlConnection connection, string configuredName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(TablesSql, connection);
        command.Parameters.Add(new NpgsqlParameter("ledger", NpgsqlDbType.Text) { Value = LedgerTable });
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        var listed = tables.Count == 0 ? "none" : string.Join(", ", tables.Take(ListedTables));
        var more = tables.Count > ListedTables ? $" and {tables.Count - ListedTables} more" : "";
        return $"table '{configuredName}' does not exist; tables: {listed}{more}.";
    }

    /// <summary><c>schema.table</c> → (schema, table); a bare name → (null, name).</summary>
    private static (string? Schema, string Name) Split(string configuredName)
    {
        var dot = configuredName.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (null, configuredName) : (configuredName[..dot], configuredName[(dot + 1)..]);
    }
}
