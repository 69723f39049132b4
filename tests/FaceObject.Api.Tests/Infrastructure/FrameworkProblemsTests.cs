using FaceObject.Api.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FaceObject.Api.Tests.Infrastructure;

public sealed class FrameworkProblemsTests
{
    [Fact]
    public void AddMissingDetail_NamesTheContentTypeAndWhatIsAccepted_When415HasNoDetail()
    {
        var context = Context(StatusCodes.Status415UnsupportedMediaType, http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = "/api/detect/object/image";
            http.Request.ContentType = "application/json";
        });

        FrameworkProblems.AddMissingDetail(context);

        context.ProblemDetails.Detail.Should().Contain("'application/json'").And.Contain("multipart/form-data").And.Contain("'file'");
    }

    [Fact]
    public void AddMissingDetail_ListsAllowedMethods_When405HasNoDetail()
    {
        var context = Context(StatusCodes.Status405MethodNotAllowed, http =>
        {
            http.Request.Method = "PUT";
            http.Request.Path = "/api/detect/object/image";
            http.Response.Headers.Allow = "POST";
        });

        FrameworkProblems.AddMissingDetail(context);

        context.ProblemDetails.Detail.Should().Be("PUT is not allowed on /api/detect/object/image; allowed: POST.");
    }

    [Fact]
    public void AddMissingDetail_KeepsTheEndpointsOwnDetail()
    {
        var context = Context(StatusCodes.Status415UnsupportedMediaType, _ => { });
        context.ProblemDetails.Detail = "GIF images are not accepted.";

        FrameworkProblems.AddMissingDetail(context);

        context.ProblemDetails.Detail.Should().Be("GIF images are not accepted.");
    }

    private static ProblemDetailsContext Context(int status, Action<HttpContext> configure)
    {
        var http = new DefaultHttpContext();
        configure(http);
        return new ProblemDetailsContext { HttpContext = http, ProblemDetails = new ProblemDetails { Status = status } };
    }
}
