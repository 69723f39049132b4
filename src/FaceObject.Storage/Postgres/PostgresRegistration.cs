using FaceObject.Core.Pipelines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FaceObject.Storage.Postgres;

public static class PostgresRegistration
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>
    /// Registers <see cref="IPipelineRecordStore"/> on PostgreSQL when <c>ConnectionStrings:Postgres</c> is set: an
    /// Npgsql connection string (<c>Host=postgres;Username=faceobject;Password=...;Database=faceobject</c>) or a
    /// <c>postgresql://user:password@host:port/database</c> URL. Without it nothing is registered, and pipelines with
    /// PostgreSQL actions are refused at start by whoever needs the store.
    /// </summary>
    /// <exception cref="InvalidOperationException">The setting is neither form; the message names the accepted ones, never the value.</exception>
    public static IServiceCollection AddPipelineRecords(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var setting = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(setting))
        {
            return services;
        }

        var connectionString = PostgresConnectionString.Parse(setting);
        services.AddSingleton<IPipelineRecordStore>(_ => new PostgresRecordStore(NpgsqlDataSource.Create(connectionString)));
        return services;
    }
}
