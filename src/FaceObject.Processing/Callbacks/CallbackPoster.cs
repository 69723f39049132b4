using System.Globalization;
using System.Net.Http.Headers;
using FaceObject.SafeHttp;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Callbacks;

/// <summary>
/// One webhook POST, as every callback is sent: JSON body, the event and timestamp headers, the HMAC signature when
/// <c>Callbacks:Secret</c> is set, the outbound address policy, no redirects, and <c>Callbacks:Timeout</c>.
/// </summary>
internal sealed class CallbackPoster(SafeHttpClient http, IOptions<CallbackOptions> options, TimeProvider clock)
{
    public const string TimestampHeader = "X-FaceObject-Timestamp";
    public const string EventHeader = "X-FaceObject-Event";

    /// <summary>Returns null when answered 2xx, else why not and whether that is final (the address is refused).</summary>
    public async Task<(string? Error, bool Permanent)> PostAsync(
        Uri url, string eventName, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventHeader, eventName);
        request.Headers.Add(TimestampHeader, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        if (!string.IsNullOrEmpty(settings.Secret))
        {
            request.Headers.Add(CallbackSignature.Header, CallbackSignature.Compute(settings.Secret, body));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.NoRedirects.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return response.IsSuccessStatusCode
                ? (null, false)
                : ($"The callback URL answered {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd() + ".", false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (string.Create(CultureInfo.InvariantCulture, $"The callback URL did not answer within {settings.Timeout.TotalSeconds:0.#} s (Callbacks:Timeout)."), false);
        }
        catch (HttpRequestException e) when (SafeHttpClient.FindRefusal(e) is { } refusal)
        {
            return ("The callback URL is refused: " + refusal.Message, true);
        }
        catch (HttpRequestException e)
        {
            return ("The callback URL could not be reached: " + e.Message, false);
        }
    }
}
