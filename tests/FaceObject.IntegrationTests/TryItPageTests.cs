using System.Net;

namespace FaceObject.IntegrationTests;

/// <summary>
/// The try-it page's server side over real HTTP: <c>/</c> serves the page with its security headers, and the API,
/// dashboard and documentation routes answer exactly as before. The page itself is tested in a real browser by
/// tests/FaceObject.Web.Tests.
/// </summary>
public sealed class TryItPageTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    private HttpClient Http => fixture.Client.Http;

    [Fact]
    public async Task Root_ServesThePageWithContentSecurityPolicy_WhenRequested()
    {
        using var response = await Http.GetAsync(new Uri("/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        policy.Should().Contain("default-src 'self'").And.Contain("script-src 'self'").And.Contain("img-src 'self' blob: data:")
            .And.Contain("frame-ancestors 'none'").And.NotContain("unsafe-inline");
        response.Headers.CacheControl!.NoCache.Should().BeTrue();
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<script type=\"module\" src=\"/js/main.js\">").And.Contain("href=\"/hangfire\"").And.Contain("href=\"/docs\"");
    }

    [Theory]
    [InlineData("/js/main.js", "text/javascript")]
    [InlineData("/app.css", "text/css")]
    public async Task StaticFiles_AreServedWithTheirTypeAndNoSniff_WhenRequested(string path, string mediaType)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.ETag.Should().NotBeNull("browsers revalidate the unfingerprinted files cheaply");
    }

    [Theory]
    [InlineData("/api/models", "application/json")]
    [InlineData("/openapi/v1.json", "application/json")]
    [InlineData("/hangfire", "text/html")]
    [InlineData("/docs/", "text/html")]
    public async Task OtherRoutes_AnswerAsBefore_WhenThePageIsServed(string path, string mediaType)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        response.Headers.Contains("Content-Security-Policy").Should().BeFalse("the page's policy is for the page only");
    }

    [Fact]
    public async Task UnknownPath_IsAProblemNotThePage_WhenNoFileMatches()
    {
        using var response = await Http.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
