using FaceObject.ServiceDefaults.Configuration;
using StackExchange.Redis;

namespace FaceObject.Api.Ingestion;

/// <summary>Tasks by message: the brokers turned on under <c>Ingest:*</c>, hosted beside the HTTP API.</summary>
internal static class IngestRegistration
{
    public static void AddIngestion(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MessageIngestor>();
        services.AddSingleton<HealthCheckMessage>();
        services.AddSingleton<TaskResultWatcher>();
        var options = builder.Configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new IngestOptions();
        if (options.Redis.Enabled)
        {
            if (!services.Any(s => s.ServiceType == typeof(IConnectionMultiplexer)))
            {
                throw new HostConfigurationException(
                    "Ingest:Redis:Enabled is true, but ConnectionStrings:Redis is not set: the ingest stream lives on the Redis the queues use. Set ConnectionStrings:Redis, or turn Ingest:Redis:Enabled off.");
            }

            services.AddHostedService<RedisStreamIngestService>();
        }

        if (options.RabbitMq.Enabled)
        {
            if (options.RabbitMq.Url is not { Scheme: "amqp" or "amqps" })
            {
                throw new HostConfigurationException(
                    "Ingest:RabbitMq:Enabled is true, but Ingest:RabbitMq:Url is not an amqp:// or amqps:// URL. Set it to the broker, e.g. amqp://user:password@rabbitmq:5672/.");
            }

            services.AddHostedService<RabbitMqIngestService>();
        }
    }
}
