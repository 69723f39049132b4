using FaceObject.Core.Pipelines;
using FaceObject.Storage.Postgres;
using FaceObject.Testing;
using Npgsql;

namespace FaceObject.Storage.Tests.Postgres;

[Collection(PostgresGroup.Name)]
public sealed class PostgresRecordStoreTests(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
    private readonly string _table = $"cars_{Guid.NewGuid():N}";
    private readonly PostgresRecordStore _store = new(NpgsqlDataSource.Create(postgres.ConnectionString));

    public Task InitializeAsync() => postgres.ExecuteAsync(
        $"CREATE TABLE {_table} (id bigserial PRIMARY KEY, label text, count integer, score real, seen_at timestamptz, brand varchar(12))");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task CreateRecordAsync_ReturnsTheKey_AndStoresEachValueAsItsColumnsType()
    {
        var key = await _store.CreateRecordAsync(_table, new Dictionary<string, string?>
        {
            ["label"] = "car", ["count"] = "42", ["score"] = "0.875", ["seen_at"] = "2026-12-03T10:00:00.250Z", ["brand"] = null,
        }, Key());

        var row = await RowAsync(long.Parse(key, System.Globalization.CultureInfo.InvariantCulture));
        row["label"].Should().Be("car");
        row["count"].Should().Be(42);
        row["score"].Should().Be(0.875f);
        row["seen_at"].Should().Be(new DateTime(2026, 12, 3, 10, 0, 0, 250, DateTimeKind.Utc), "the {timestamp} template's form");
        row["brand"].Should().Be(DBNull.Value);
    }

    [Fact]
    public async Task CreateRecordAsync_WritesOnceAndAnswersTheSameKey_WhenTheOperationKeyComesTwice()
    {
        var operation = Key();
        var first = await _store.CreateRecordAsync(_table, Fields("label", "first"), operation);
        var second = await _store.CreateRecordAsync(_table, Fields("label", "second"), operation);

        second.Should().Be(first);
        (await CountAsync()).Should().Be(1);
        (await RowAsync(long.Parse(first, System.Globalization.CultureInfo.InvariantCulture)))["label"].Should().Be("first");
    }

    [Fact]
    public async Task CreateRecordAsync_WritesOnce_WhenCallsWithOneOperationKeyRace()
    {
        var operation = Key();
        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => _store.CreateRecordAsync(_table, Fields("label", $"racer {i}"), operation))));

        keys.Distinct().Should().ContainSingle();
        (await CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task CreateRecordAsync_CreatesItsLedgerOnce_WhenTheFirstWritersRace()
    {
        // The collection runs its tests one at a time, so no other test is writing while the ledger is gone.
        await postgres.ExecuteAsync("DROP TABLE IF EXISTS faceobject_pipeline_actions");

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => _store.CreateRecordAsync(_table, Fields("label", $"writer {i}"), Key()))));

        keys.Distinct().Should().HaveCount(8);
        (await CountAsync()).Should().Be(8);
    }

    [Fact]
    public async Task UpdateRecordAsync_SetsTheFieldsOfTheKeyedRowOnly_AndARepeatWritesNothing()
    {
        var target = await _store.CreateRecordAsync(_table, Fields("label", "target"), Key());
        var other = await _store.CreateRecordAsync(_table, Fields("label", "other"), Key());
        var operation = Key();

        var updated = await _store.UpdateRecordAsync(_table, "id", target,
            new Dictionary<string, string?> { ["brand"] = "white", ["count"] = "3" }, operation);
        await postgres.ExecuteAsync($"UPDATE {_table} SET brand = 'changed' WHERE id = {long.Parse(target, System.Globalization.CultureInfo.InvariantCulture)}");
        var repeated = await _store.UpdateRecordAsync(_table, "id", target, Fields("brand", "white"), operation);

        updated.Should().Be(1);
        repeated.Should().Be(1);
        var row = await RowAsync(long.Parse(target, System.Globalization.CultureInfo.InvariantCulture));
        row["brand"].Should().Be("changed", "the repeat must not write again");
        row["count"].Should().Be(3);
        var untouched = await RowAsync(long.Parse(other, System.Globalization.CultureInfo.InvariantCulture));
        untouched["brand"].Should().Be(DBNull.Value);
        untouched["count"].Should().Be(DBNull.Value);
    }

    [Fact]
    public async Task UpdateRecordAsync_AnswersZero_WhenNoRowHasTheKey()
    {
        var updated = await _store.UpdateRecordAsync(_table, "label", "nobody", Fields("brand", "white"), Key());

        updated.Should().Be(0);
    }

    [Fact]
    public async Task CreateRecordAsync_StoresAValueThatLooksLikeSqlVerbatim_AndTheTableSurvives()
    {
        const string Hostile = "'); DROP TABLE x; -- \" $1 ::text";
        var key = await _store.CreateRecordAsync(_table, Fields("label", Hostile), Key());
        await _store.UpdateRecordAsync(_table, "label", Hostile, Fields("brand", "'; --"), Key());

        var row = await RowAsync(long.Parse(key, System.Globalization.CultureInfo.InvariantCulture));
        row["label"].Should().Be(Hostile);
        row["brand"].Should().Be("'; --");
    }

    [Fact]
    public async Task CreateRecordAsync_FailsNamingTheColumns_WhenAColumnDoesNotExist()
    {
        var create = () => _store.CreateRecordAsync(_table, Fields("colour", "white"), Key());

        (await create.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Be($"column 'colour' of table '{_table}' does not exist; columns: id, label, count, score, seen_at, brand.");
        (await CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task UpdateRecordAsync_FailsNamingTheTables_WhenTheTableDoesNotExist()
    {
        const string Missing = "cars\"; DROP TABLE x; --";
        var update = () => _store.UpdateRecordAsync(Missing, "id", "1", Fields("label", "x"), Key());

        (await update.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .StartWith($"table '{Missing}' does not exist; tables: ").And.Contain(_table);
    }

    [Fact]
    public async Task UpdateRecordAsync_Writes_WhenACreateHadTheSameOperationKey()
    {
        var operation = Key();
        var key = await _store.CreateRecordAsync(_table, Fields("label", "x"), operation);

        var updated = await _store.UpdateRecordAsync(_table, "id", key, Fields("label", "y"), operation);

        updated.Should().Be(1);
        (await RowAsync(long.Parse(key, System.Globalization.CultureInfo.InvariantCulture)))["label"].Should().Be("y");
    }

    [Fact]
    public async Task CreateRecordAsync_FailsNamingTheTable_WhenAValueDoesNotFitItsColumn()
    {
        var create = () => _store.CreateRecordAsync(_table, Fields("count", "many"), Key());

        (await create.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain($"table '{_table}'").And.Contain("integer").And.Contain("many");
    }

    [Fact]
    public async Task CreateRecordAsync_RefusesAValueTooLongForItsColumn_InsteadOfCuttingIt()
    {
        var create = () => _store.CreateRecordAsync(_table, Fields("brand", "a brand longer than twelve"), Key());

        (await create.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("too long");
        (await CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task CreateRecordAsync_FindsATableBySchemaAndName()
    {
        var schema = $"s_{Guid.NewGuid():N}";
        await postgres.ExecuteAsync($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.sessions (session_id uuid PRIMARY KEY DEFAULT gen_random_uuid(), camera text)");

        var key = await _store.CreateRecordAsync($"{schema}.sessions", Fields("camera", "gate-1"), Key());

        Guid.TryParse(key, out _).Should().BeTrue(key);
        (await postgres.ScalarAsync($"SELECT camera FROM {schema}.sessions WHERE session_id = '{key}'")).Should().Be("gate-1");
    }

    [Fact]
    public async Task CheckAsync_NamesEachMissingTableAndColumnAndKeylessTable_WithWhatExists()
    {
        var keyless = $"log_{Guid.NewGuid():N}";
        await postgres.ExecuteAsync($"CREATE TABLE {keyless} (line text)");

        var problems = await _store.CheckAsync(
        [
            new RecordTarget(_table, ["label", "colour"]),
            new RecordTarget(_table, ["id", "seen_at"]),
            new RecordTarget("no_such_table", ["label"]),
            new RecordTarget(keyless, ["line"]),
        ]);

        problems.Should().HaveCount(3);
        problems[0].Should().Be($"column 'colour' of table '{_table}' does not exist; columns: id, label, count, score, seen_at, brand.");
        problems[1].Should().StartWith("table 'no_such_table' does not exist; tables: ").And.Contain(_table).And.Contain(keyless)
            .And.NotContain("faceobject_pipeline_actions").And.EndWith(".");
        problems[2].Should().Be($"table '{keyless}' has no primary key; the create action returns it for the later update.");
    }

    [Fact]
    public async Task CheckAsync_AnswersNothing_WhenEveryTableAndColumnExists()
    {
        var problems = await _store.CheckAsync([new RecordTarget(_table, ["label", "count", "score", "seen_at", "brand"])]);

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task CreateRecordAsync_Throws_WhilePostgresIsDown_AndWritesOnce_WhenItIsBack()
    {
        // Several pooled connections, all cut by the outage: after one failed call none may be handed out again
        // (Npgsql drops its idle connections when one breaks; this holds it to that).
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => _store.CreateRecordAsync(_table, Fields("label", "before"), Key()))));
        var pooled = (long)(await postgres.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"))! - 1;
        var operation = Key();
        postgres.Stop();
        try
        {
            var whileDown = () => _store.CreateRecordAsync(_table, Fields("label", "during"), operation);
            await whileDown.Should().ThrowAsync<NpgsqlException>();
        }
        finally
        {
            postgres.Start();
        }

        var key = await _store.CreateRecordAsync(_table, Fields("label", "during"), operation);
        var again = await _store.CreateRecordAsync(_table, Fields("label", "during"), operation);

        again.Should().Be(key);
        pooled.Should().BeGreaterThan(1, "the outage must cut more than the one connection the failed call used");
        (await postgres.ScalarAsync($"SELECT count(*) FROM {_table} WHERE label = 'during'")).Should().Be(1L);
    }

    private static string Key() => Guid.NewGuid().ToString("N");

    private static Dictionary<string, string?> Fields(string column, string? value) => new() { [column] = value };

    private async Task<long> CountAsync() => (long)(await postgres.ScalarAsync($"SELECT count(*) FROM {_table}"))!;

    private async Task<Dictionary<string, object>> RowAsync(long id)
    {
        await using var connection = await postgres.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT * FROM {_table} WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue($"row {id} should exist");
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetValue);
    }
}
