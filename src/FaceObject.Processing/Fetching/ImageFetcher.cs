using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FaceObject.Core.Imaging;
using FaceObject.SafeHttp;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Fetching;

/// <summary>
/// Fetches a task's <c>image_url</c> through the guarded <see cref="SafeHttpClient"/>: the whole request within
/// <c>Fetch:Timeout</c>, at most <c>Api:MaxImageBytes</c> read (it stops reading beyond), and the content checked
/// like an upload (sniffed from the bytes, never from the server's Content-Type). Errors that a retry cannot fix (a
/// refused address, a 404, not an image, too large) come back as <see cref="FetchedImage.Failure"/>; errors that may
/// pass are thrown as <see cref="ImageFetchException"/> for Hangfire to retry. Thread-safe.
/// </summary>
internal sealed class ImageFetcher(SafeHttpClient http, IOptions<FetchOptions> fetchOptions, IOptions<ImageLimits> limits)
{
    private const string Subject = "The content at image_url";

    public async Task<FetchedImage> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var timeout = fetchOptions.Value.Timeout;
        var maxBytes = limits.Value.MaxImageBytes;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.Client.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Unsuccessful(response);
            }

            if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
            {
                return FetchedImage.Refused(TooLarge($"declares {declared:N0} bytes", maxBytes));
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var content = await ReadAtMostAsync(body, maxBytes, response.Content.Headers.ContentLength, deadline.Token);
            if (content is null)
            {
                return FetchedImage.Refused(TooLarge("is longer", maxBytes));
            }

            return ImageContentCheck.Check(content, maxBytes, limits.Value.MaxImagePixels, Subject) is { } finding
                ? FetchedImage.Refused(finding.Detail + DeclaredType(response))
                : FetchedImage.Of(content);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageFetchException(string.Create(CultureInfo.InvariantCulture,
                $"Fetching image_url timed out after {timeout.TotalSeconds:0.#} s (Fetch:Timeout)."));
        }
        catch (HttpRequestException e) when (SafeHttpClient.FindRefusal(e) is { } refusal)
        {
            return FetchedImage.Refused("image_url is refused: " + refusal.Message);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.HostNotFound })
        {
            return FetchedImage.Refused($"image_url cannot be fetched: its host {new Uri(url).Host} does not resolve.");
        }
        catch (HttpRequestException e)
        {
            throw new ImageFetchException("image_url could not be fetched: " + e.Message, e);
        }
    }

    private static FetchedImage Unsuccessful(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var answer = $"image_url answered {status} {response.ReasonPhrase}".TrimEnd() + ".";

        // Busy or broken servers may recover; anything else (404, 403, 410, too many redirects...) will answer the same again.
        if (status is 408 or 429 or >= 500)
        {
            throw new ImageFetchException(answer);
        }

        return FetchedImage.Refused(status is >= 300 and < 400
            ? answer + " Redirects are followed up to Fetch:MaxRedirects times, and only between http and https URLs."
            : answer);
    }

    private static string TooLarge(string what, long maxBytes) =>
        $"{Subject} {what} than the {maxBytes:N0} bytes accepted (Api:MaxImageBytes); reading stopped there.";

    private static string DeclaredType(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type ? $" The server called it {type}." : "";

    /// <summary>The body, or null as soon as it passes <paramref name="maxBytes"/> (the rest is never read).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long maxBytes, long? declared, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream(declared is { } d && d <= maxBytes ? (int)d : 64 * 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (collected.Length + read > maxBytes)
                {
                    return null;
                }

                collected.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return collected.ToArray();
    }
}
