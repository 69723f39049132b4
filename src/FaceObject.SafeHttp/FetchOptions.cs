using System.ComponentModel.DataAnnotations;

namespace FaceObject.SafeHttp;

/// <summary>
/// <c>Fetch:*</c>: outbound requests to URLs clients give (<c>image_url</c>, and the address rules of <c>callback_url</c>).
/// </summary>
public sealed class FetchOptions : IValidatableObject
{
    public const string Section = "Fetch";

    /// <summary>Whole-request limit for fetching an image: connect, headers and body.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Redirects followed per request; each hop's address is checked again.</summary>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Host names, IP addresses or CIDR ranges reachable even though they are loopback, private or link-local: for
    /// local setups (a file server on the same machine or network). Applies to image URLs and callbacks alike.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        NetworkAllowList.Parse(AllowedHosts, out var errors);
        return errors.Select(e => new ValidationResult($"Fetch:AllowedHosts: {e}.", [nameof(AllowedHosts)]));
    }
}
