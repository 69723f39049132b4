using System.Net;
using System.Text.Json.Nodes;
using FaceObject.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FaceObject.Api.Tests.Infrastructure;

/// <summary>The API's real authentication and authorization services, and requests evaluated against its policies.</summary>
internal sealed class AccessServices : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IServiceScope> _scopes = [];

    public AccessServices(string[] keys, string dashboardUser = "", string dashboardPassword = "", JwtSettings? jwt = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProblemDetails();
        services.AddOptions<DashboardOptionsSettings>().Configure(d =>
        {
            d.Username = dashboardUser;
            d.Password = dashboardPassword;
        });
        services.AddFaceObjectAccess(keys, jwt);
        _provider = services.BuildServiceProvider();
    }

    public static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    public DefaultHttpContext Request(IPAddress? from = null, Action<HttpRequest>? configure = null)
    {
        // A scope per request, as the server makes: authentication handlers are cached per scope, bound to one request.
        var scope = _provider.CreateScope();
        _scopes.Add(scope);
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Connection.RemoteIpAddress = from ?? IPAddress.Loopback;
        context.Connection.LocalIpAddress = IPAddress.Loopback;
        context.Response.Body = new MemoryStream();
        configure?.Invoke(context.Request);
        return context;
    }

    /// <summary>What the authorization middleware would decide for an endpoint with this policy.</summary>
    public async Task<PolicyAuthorizationResult> AuthorizeAsync(HttpContext context, string policyName)
    {
        var policy = await _provider.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policyName);
        var evaluator = _provider.GetRequiredService<IPolicyEvaluator>();
        var authentication = await evaluator.AuthenticateAsync(policy!, context);
        return await evaluator.AuthorizeAsync(policy!, authentication, context, context);
    }

    /// <summary>Challenges as the authorization middleware does, and returns the problem+json written.</summary>
    public static async Task<JsonObject> ChallengeAsync(HttpContext context, string scheme)
    {
        await context.ChallengeAsync(scheme);
        return await ProblemAsync(context);
    }

    /// <summary>Refuses as the authorization middleware does for an authenticated caller, and returns the problem+json written.</summary>
    public static async Task<JsonObject> ForbidAsync(HttpContext context, string scheme)
    {
        await context.ForbidAsync(scheme);
        return await ProblemAsync(context);
    }

    private static async Task<JsonObject> ProblemAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return (JsonObject)(await JsonNode.ParseAsync(context.Response.Body))!;
    }

    public void Dispose()
    {
        foreach (var scope in _scopes)
        {
            scope.Dispose();
        }

        _provider.Dispose();
    }
}
