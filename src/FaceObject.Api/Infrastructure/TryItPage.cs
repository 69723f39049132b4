using Microsoft.Extensions.FileProviders;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// The try-it page at <c>GET /</c>: the static files in <c>wwwroot</c> (HTML, one stylesheet, and ES modules under
/// <c>js/</c> that import each other by relative path, as <c>text/javascript</c>), served from beside the binary so
/// <c>dotnet run</c>, the built DLL and a published image all find them whatever the working directory. Only requests that match a file are answered here; API routes, <c>/hangfire</c>,
/// <c>/docs</c> and <c>/openapi</c> never reach a file and pass through untouched.
/// </summary>
internal static partial class TryItPage
{
    /// <summary>
    /// The page talks only to its own origin. <c>blob:</c> and <c>data:</c> images are the chosen file's preview and
    /// the saved thumbnails of recent tasks; no inline script or style is needed, so none is allowed.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseTryItPage(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            LogPageMissing(app.Logger, root);
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => AddHeaders(context.Context.Response, context.File.Name),
        });
        return app;
    }

    /// <summary>
    /// The files are not fingerprinted, so browsers revalidate every time (a cheap 304 thanks to the ETag) and a new
    /// release shows on the next load instead of mixing an old script with a new page.
    /// </summary>
    private static void AddHeaders(HttpResponse response, string fileName)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (fileName.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The try-it page is not served: {Root} is missing (build or publish the API project to create it)")]
    private static partial void LogPageMissing(ILogger logger, string root);
}
