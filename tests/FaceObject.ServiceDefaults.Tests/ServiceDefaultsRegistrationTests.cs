using FaceObject.Core.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceObject.ServiceDefaults.Tests;

public sealed class ServiceDefaultsRegistrationTests
{
    [Fact]
    public void AddServiceDefaults_AddsEverythingOnce_WhenCalledTwice()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddServiceDefaults();
        var sources = builder.Configuration.Sources.Count;

        builder.AddServiceDefaults();

        builder.Configuration.Sources.Should().HaveCount(sources);
        builder.Services.Count(service => service.ServiceType == typeof(ModelCatalog)).Should().Be(1);
        using var services = builder.Services.BuildServiceProvider();
        services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(check => check.Name)
            .Should().Equal("self", "storage");
        // The health check service refuses duplicate names when it is made, which is what a host's start would hit.
        services.Invoking(provider => provider.GetRequiredService<HealthCheckService>()).Should().NotThrow();
    }
}
