using FaceObject.Core.Jobs;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Core.Streams;
using FaceObject.Core.Tasks;
using FaceObject.Storage.Hangfire;
using FaceObject.Storage.Hangfire.HotPath;
using FaceObject.Storage.Liveness;
using FaceObject.Storage.Memory;
using FaceObject.Storage.Redis;
using FaceObject.Storage.Streams;
using FaceObject.Storage.S3;
using global::Hangfire;
using global::Hangfire.Redis.StackExchange;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the task, payload and model report stores, the queue inspector, the job scheduler and Hangfire's storage. With
    /// <c>ConnectionStrings:Redis</c> set tasks and queues are shared through Redis; without it they live in memory.
    /// Payload bytes go where <c>Storage:Kind</c> says (<see cref="ResolvePayloadKind"/>).
    /// </summary>
    public static StorageMode AddFaceObjectStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddTimeProvider();
        services.AddOptions<TaskOptions>().BindConfiguration(TaskOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HangfireStorageOptions>().BindConfiguration(HangfireStorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IJobScheduler, HangfireJobScheduler>();

        var redisConnection = builder.Configuration.GetConnectionString("Redis");
        var mode = string.IsNullOrWhiteSpace(redisConnection) ? StorageMode.Memory : StorageMode.Redis;
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var payloads = ResolvePayloadKind(storage, mode);
        services.AddOptions<StreamStoreOptions>().BindConfiguration(StreamStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new StorageInfo(mode, payloads));
        if (mode == StorageMode.Redis)
        {
            AddRedis(services, redisConnection!);
        }
        else
        {
            services.AddSingleton<ITaskStore, InMemoryTaskStore>();
            services.AddSingleton<IBatchStore, InMemoryBatchStore>();
            services.AddSingleton<IIdempotencyStore, InMemoryIdempotencyStore>();
            services.AddSingleton<IQueueInspector, MonitoringQueueInspector>();
            services.AddSingleton<IModelReportStore, InMemoryModelReportStore>();
            services.AddSingleton<IPipelineRunStore, InMemoryPipelineRunStore>();
            services.AddSingleton<InMemoryStreamBus>();
            services.AddSingleton<IStreamEventBus>(provider => provider.GetRequiredService<InMemoryStreamBus>());
            services.AddSingleton<InMemoryStreamStore>();
            services.AddSingleton<IStreamStore>(provider => provider.GetRequiredService<InMemoryStreamStore>());
            services.AddSingleton<IStreamOwnership>(provider => provider.GetRequiredService<InMemoryStreamStore>());
            services.AddHangfire((provider, config) => ConfigureCommon(config).UseInMemoryStorage()
                .WithJobExpirationTimeout(provider.GetRequiredService<IOptions<TaskOptions>>().Value.Ttl));
        }

        switch (payloads)
        {
            case PayloadStorageKind.S3:
                services.AddSingleton<S3PayloadStore>();
                services.AddSingleton<IPayloadStore>(provider => provider.GetRequiredService<S3PayloadStore>());
                services.AddSingleton<IObjectBucket>(provider => provider.GetRequiredService<S3PayloadStore>());
                break;
            case PayloadStorageKind.Redis:
                services.AddSingleton<IPayloadStore, RedisPayloadStore>();
                break;
            default:
                services.AddSingleton<IPayloadStore, InMemoryPayloadStore>();
                break;
        }

        if (mode == StorageMode.Redis && payloads == PayloadStorageKind.Redis)
        {
            services.AddSingleton<ITaskIntake>(provider => provider.GetRequiredService<RedisTaskStore>());
        }
        else
        {
            services.AddSingleton<ITaskIntake, PayloadThenRecordIntake>();
        }

        return mode;
    }

    /// <summary>
    /// Marks this host as one that fetches jobs and leases tasks: with Redis it keeps a liveness key alive
    /// (<see cref="ProcessHeartbeat"/>), so that when it dies its work is taken over within
    /// <c>Liveness:Timeout</c>. In memory everything lives and dies with this one process, so there is nothing to do.
    /// Call after <see cref="AddFaceObjectStorage"/>.
    /// </summary>
    public static IServiceCollection AddProcessLiveness(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LivenessOptions>().BindConfiguration(LivenessOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Timeout >= 2 * o.Beat, "Liveness:Timeout must be at least twice Liveness:Beat, or a live host can look dead between beats.")
            .ValidateOnStart();
        if (services.Any(s => s.ServiceType == typeof(RedisKeys)))
        {
            services.AddHostedService<ProcessHeartbeat>();
            services.AddHostedService<DeadProcessSweeper>();
        }

        return services;
    }

    /// <summary>
    /// <c>Storage:Kind</c> checked against the rest of the configuration, so a setup that would lose or strand
    /// payloads fails at start with the fix in the message instead of at the first task.
    /// </summary>
    public static PayloadStorageKind ResolvePayloadKind(StorageOptions storage, StorageMode mode)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var kind = storage.Kind?.Trim().ToLowerInvariant() switch
        {
            null or "" => mode == StorageMode.Redis ? PayloadStorageKind.Redis : PayloadStorageKind.Memory,
            "memory" => PayloadStorageKind.Memory,
            "redis" => PayloadStorageKind.Redis,
            "s3" => PayloadStorageKind.S3,
            _ => throw Invalid($"Storage:Kind '{storage.Kind}' is not known: use memory, redis or s3."),
        };

        if (kind == PayloadStorageKind.Redis && mode != StorageMode.Redis)
        {
            throw Invalid("Storage:Kind=redis needs ConnectionStrings:Redis.");
        }

        if (kind == PayloadStorageKind.Memory && mode == StorageMode.Redis)
        {
            throw Invalid("Storage:Kind=memory keeps uploads inside one process, where workers elsewhere cannot read them; with ConnectionStrings:Redis use redis or s3.");
        }

        if (kind == PayloadStorageKind.S3)
        {
            var s3 = storage.S3;
            if (string.IsNullOrWhiteSpace(s3.Bucket))
            {
                throw Invalid("Storage:Kind=s3 needs Storage:S3:Bucket (an existing bucket).");
            }

            if (!string.IsNullOrWhiteSpace(s3.ServiceUrl) && !Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out _))
            {
                throw Invalid($"Storage:S3:ServiceUrl '{s3.ServiceUrl}' is not an absolute URL such as http://127.0.0.1:9000 (leave it empty for AWS S3).");
            }

            if (string.IsNullOrEmpty(s3.AccessKey) != string.IsNullOrEmpty(s3.SecretKey))
            {
                throw Invalid("Set both Storage:S3:AccessKey and Storage:S3:SecretKey, or neither (then the AWS SDK's credential chain is used).");
            }
        }

        return kind;
    }

    private static OptionsValidationException Invalid(string message) =>
        new(StorageOptions.Section, typeof(StorageOptions), [message]);

    private static void AddRedis(IServiceCollection services, string connectionString)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            // Start even while Redis is down: requests answer 503 and everything reconnects by itself.
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            options.ClientName ??= "faceobject";
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<RedisKeys>();
        services.AddSingleton(new ProcessLiveness());
        services.AddSingleton<RedisTaskStore>();
        services.AddSingleton<ITaskStore>(provider => provider.GetRequiredService<RedisTaskStore>());
        services.AddSingleton<IBatchStore, RedisBatchStore>();
        services.AddSingleton<IIdempotencyStore, RedisIdempotencyStore>();
        services.AddSingleton<IQueueInspector, RedisQueueInspector>();
        services.AddSingleton<JobBundler>();
        services.AddSingleton<IModelReportStore, RedisModelReportStore>();
        services.AddSingleton<IPipelineRunStore, RedisPipelineRunStore>();
        services.AddSingleton<IPipelineOutputs, RedisPipelineOutputs>();
        services.AddSingleton<RedisStreamKeys>();
        services.AddSingleton<IStreamEventBus, RedisStreamBus>();
        services.AddSingleton<RedisStreamStore>();
        services.AddSingleton<IStreamStore>(provider => provider.GetRequiredService<RedisStreamStore>());
        services.AddSingleton<IStreamOwnership>(provider => provider.GetRequiredService<RedisStreamStore>());
        services.AddHangfire((provider, config) =>
        {
            var options = provider.GetRequiredService<IOptions<HangfireStorageOptions>>().Value;
            var storage = new HotPathRedisStorage(provider.GetRequiredService<IConnectionMultiplexer>(), options.ToRedisStorageOptions(),
                provider.GetRequiredService<TimeProvider>());
            ConfigureCommon(config).UseStorage(storage)
                .WithJobExpirationTimeout(provider.GetRequiredService<IOptions<TaskOptions>>().Value.Ttl);
        });
    }

    /// <remarks>
    /// Callers set Hangfire's JobExpirationTimeout (how long a succeeded or deleted job's data is kept, a day by
    /// default) to <c>Tasks:Ttl</c>: a job is only worth keeping while its task record, which names it, exists, and
    /// Redis memory then returns to its baseline once tasks expire. Failed jobs never expire in Hangfire; they stay
    /// on the dashboard until an operator deletes or requeues them.
    /// </remarks>
    private static IGlobalConfiguration ConfigureCommon(IGlobalConfiguration config)
    {
        RemoveUnusedGlobalFilters();
        return config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
    }

    /// <summary>
    /// Hangfire's default global filters include two this project has no use for: culture capture (jobs take no
    /// culture-dependent input; it wrote two parameters per job and read them back on every run) and continuations
    /// (no job continues another; it read a parameter at every final state). Removing them is process-wide, as
    /// Hangfire's filters are, and idempotent.
    /// </summary>
    private static void RemoveUnusedGlobalFilters()
    {
        GlobalJobFilters.Filters.Remove(typeof(CaptureCultureAttribute));
        GlobalJobFilters.Filters.Remove(typeof(ContinuationsSupportAttribute));
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(s => s.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
