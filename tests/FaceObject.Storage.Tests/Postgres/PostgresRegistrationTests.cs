using FaceObject.Core.Pipelines;
using FaceObject.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FaceObject.Storage.Tests.Postgres;

public sealed class PostgresRegistrationTests
{
    [Fact]
    public void AddPipelineRecords_RegistersNoStore_WhenNoConnectionStringIsSet()
    {
        var services = new ServiceCollection().AddPipelineRecords(Configuration(null));

        services.Should().NotContain(d => d.ServiceType == typeof(IPipelineRecordStore));
    }

    [Fact]
    public void AddPipelineRecords_RegistersTheStore_WhenTheConnectionStringIsSet()
    {
        using var provider = new ServiceCollection().AddPipelineRecords(Configuration("Host=127.0.0.1;Username=u;Database=d")).BuildServiceProvider();

        provider.GetRequiredService<IPipelineRecordStore>().Should().BeOfType<PostgresRecordStore>();
    }

    [Fact]
    public void Parse_ReadsEachPartOfAUrl()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Parse("postgresql://face%40object:p%3Ass@db.internal:6543/records"));

        parsed.Host.Should().Be("db.internal");
        parsed.Port.Should().Be(6543);
        parsed.Username.Should().Be("face@object");
        parsed.Password.Should().Be("p:ss");
        parsed.Database.Should().Be("records");
    }

    [Fact]
    public void Parse_UsesPort5432_WhenAUrlNamesNone()
    {
        new NpgsqlConnectionStringBuilder(PostgresConnectionString.Parse("postgres://postgres@db/x")).Port.Should().Be(5432);
    }

    [Fact]
    public void Parse_FailsNamingTheAcceptedFormsButNotTheValue_WhenTheSettingIsNeither()
    {
        var parse = () => PostgresConnectionString.Parse("Hots=db;Password=secret");

        parse.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("ConnectionStrings__Postgres").And.Contain("postgresql://").And.NotContain("secret");
    }

    private static IConfiguration Configuration(string? connectionString) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString })
        .Build();
}
