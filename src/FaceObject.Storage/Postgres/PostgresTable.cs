namespace FaceObject.Storage.Postgres;

/// <summary>
/// A table as the catalog describes it: its schema and name, its columns with their types (without length or
/// precision, see <see cref="PostgresCatalog"/>) in column order, and its primary-key columns.
/// </summary>
internal sealed record PostgresTable(string Schema, string Name, IReadOnlyDictionary<string, string> ColumnTypes,
    IReadOnlyList<string> ColumnOrder, IReadOnlyList<string> KeyColumns)
{
    /// <summary>The schema-qualified, quoted name for SQL text; both parts come from the catalog.</summary>
    public string QuotedName => $"{Quote(Schema)}.{Quote(Name)}";

    /// <summary>
    /// <c>"name"</c> with inner quotes doubled. Only names the catalog has confirmed are quoted into SQL, so quoting is
    /// a second guard, not the check.
    /// </summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// What stops the pipeline actions from using <paramref name="columns"/> of this table under its configured name
    /// <paramref name="configuredName"/>, one line each; empty when nothing does.
    /// </summary>
    public IEnumerable<string> Problems(string configuredName, IEnumerable<string> columns)
    {
        if (KeyColumns.Count == 0)
        {
            yield return $"table '{configuredName}' has no primary key; the create action returns it for the later update.";
        }
        else if (KeyColumns.Count > 1)
        {
            yield return $"table '{configuredName}' has a primary key of several columns ({string.Join(", ", KeyColumns)}); "
                + "the create action returns one column's value for the later update.";
        }

        foreach (var column in columns.Distinct(StringComparer.Ordinal).Where(c => !ColumnTypes.ContainsKey(c)))
        {
            yield return MissingColumn(configuredName, column);
        }
    }

    public string MissingColumn(string configuredName, string column) =>
        $"column '{column}' of table '{configuredName}' does not exist; columns: {string.Join(", ", ColumnOrder)}.";
}
