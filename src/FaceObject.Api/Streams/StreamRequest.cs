using System.Globalization;
using System.Net;
using FaceObject.Core.Models;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Streams;
using FaceObject.SafeHttp;
using FaceObject.Tracking;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Streams;

/// <summary>
/// Checks what a client asks of a stream (REST or WebSocket alike) and turns it into a <see cref="StreamSpec"/>, or says
/// what is wrong and what is accepted. Only syntax and settings here: whether the camera may be reached and is video is
/// found out by the stream worker, and comes back as the stream's <c>failed</c> state.
/// </summary>
internal sealed class StreamRequest(ModelCatalog catalog, PipelineCatalog pipelines, IOptions<TrackerOptions> tracking, TimeProvider time)
{
    public const double DefaultFps = 5;
    public const double MaxFps = 30;
    public const int MaxUrlLength = 2048;

    private const string AcceptedUrls = "rtsp:// or rtsps:// (RTSP cameras), http:// or https:// (MJPEG streams, or snapshot URLs with kind=snapshot)";

    public bool TryCreate(string? url, StreamSourceKind? kind, string? model, double? fps, int?[] crop, int? stableFrames, float? stableMedianScore,
        StreamOrigin origin, out StreamSpec? spec, out string? error, Uri? callbackUrl = null)
    {
        ArgumentNullException.ThrowIfNull(crop);
        spec = null;
        CropRegion? region = null;
        string? pipeline = null;
        if (model is not null && pipelines.TryGet(model, out var definition))
        {
            // A pipeline runs once per stable track: the stream detects and tracks with the pipeline's detect model.
            pipeline = model;
            model = definition.Detect?.Model;
            if (model is null)
            {
                error = $"Pipeline '{pipeline}' has no detect stage; a stream runs a pipeline once per tracked object, so it needs one.";
                return false;
            }
        }

        error = CheckUrl(url, kind, out var uri, out var resolvedKind)
            ?? CheckModel(model)
            ?? CheckFps(fps)
            ?? CheckCrop(crop, out region)
            ?? CheckStability(stableFrames, stableMedianScore);
        if (error is not null)
        {
            return false;
        }

        spec = new StreamSpec($"str_{Guid.NewGuid():N}", uri!, resolvedKind, model!, fps ?? DefaultFps, region,
            new StreamStability(stableFrames ?? tracking.Value.StableFrames, stableMedianScore ?? tracking.Value.StableMedianScore), callbackUrl, origin, time.GetUtcNow(),
            pipeline);
        return true;
    }

    /// <summary>Reads <c>rtsp</c>, <c>mjpeg</c> or <c>snapshot</c>; null for none given.</summary>
    public static bool TryParseKind(string? text, out StreamSourceKind? kind, out string? error)
    {
        error = null;
        kind = text?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "rtsp" => StreamSourceKind.Rtsp,
            "mjpeg" => StreamSourceKind.Mjpeg,
            "snapshot" => StreamSourceKind.Snapshot,
            _ => (StreamSourceKind?)(-1),
        };
        if (kind is (StreamSourceKind)(-1))
        {
            error = $"'kind' must be rtsp, mjpeg or snapshot; got '{text}'.";
            kind = null;
            return false;
        }

        return true;
    }

    private static string? CheckUrl(string? url, StreamSourceKind? kind, out Uri? uri, out StreamSourceKind resolved)
    {
        uri = null;
        resolved = default;
        if (string.IsNullOrWhiteSpace(url))
        {
            return $"The camera URL is missing. Accepted: {AcceptedUrls}.";
        }

        if (url.Length > MaxUrlLength)
        {
            return $"The camera URL is {url.Length} characters long; at most {MaxUrlLength} are accepted.";
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out uri))
        {
            return $"'{Shorten(url)}' is not an absolute URL. Accepted: {AcceptedUrls}.";
        }

        var rtsp = uri.Scheme is "rtsp" or "rtsps";
        var http = uri.Scheme is "http" or "https";
        if (!rtsp && !http)
        {
            return $"The scheme '{uri.Scheme}' is not a camera source. Accepted: {AcceptedUrls}.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return $"'{Shorten(url)}' has no host. Accepted: {AcceptedUrls}.";
        }

        // Link-local addresses (the cloud metadata service among them) are never a camera, whatever
        // Streams:AllowedSources says: refuse them here, even when no stream worker is running to find out.
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && AddressClassifier.Classify(address) == AddressCategory.LinkLocal)
        {
            return $"The camera URL points at {address}, {AddressClassifier.Describe(AddressCategory.LinkLocal, address)}; cameras are never read there.";
        }

        resolved = kind ?? (rtsp ? StreamSourceKind.Rtsp : StreamSourceKind.Mjpeg);
        if (rtsp != (resolved == StreamSourceKind.Rtsp))
        {
            return $"A {resolved.ToString().ToLowerInvariant()} source needs an http:// or https:// URL, and an rtsp one an rtsp:// or rtsps:// URL; got '{uri.Scheme}'.";
        }

        return null;
    }

    private string? CheckModel(string? model) =>
        string.IsNullOrWhiteSpace(model)
            ? $"The model is missing; configured models: {string.Join(", ", catalog.Keys)}{PipelineChoices}."
            : catalog.TryGet(model, out _)
                ? catalog.NotADetector(model)
                : $"Unknown model '{model}'; configured models: {string.Join(", ", catalog.Keys)}{PipelineChoices}.";

    private string PipelineChoices => pipelines.Names.Any() ? $"; or a pipeline with a detect stage: {string.Join(", ", pipelines.Names)}" : "";

    private static string? CheckFps(double? fps) =>
        fps is null or (> 0 and <= MaxFps)
            ? null
            : $"'fps' must be above 0 and at most {MaxFps.ToString(CultureInfo.InvariantCulture)}; got {fps.Value.ToString(CultureInfo.InvariantCulture)}.";

    private static string? CheckCrop(int?[] crop, out CropRegion? region)
    {
        region = null;
        if (crop.All(c => c is null))
        {
            return null;
        }

        if (crop.Any(c => c is null))
        {
            return "A crop needs all four of cropX1, cropY1, cropX2 and cropY2 (crop_x1..crop_y2 in REST), or none.";
        }

        region = new CropRegion(crop[0]!.Value, crop[1]!.Value, crop[2]!.Value, crop[3]!.Value);
        return region.X1 < 0 || region.Y1 < 0
            ? $"The crop's corners must not be negative; got ({region.X1},{region.Y1})."
            : region.Width < 16 || region.Height < 16
                ? $"The crop ({region.X1},{region.Y1})-({region.X2},{region.Y2}) must be at least 16x16 pixels, with x2 > x1 and y2 > y1."
                : null;
    }

    private static string? CheckStability(int? frames, float? medianScore) =>
        frames is not null and (< 1 or > 1000)
            ? $"'stable_frames' must be 1 to 1000; got {frames}."
            : medianScore is not null and (< 0 or > 1)
                ? $"'stable_median_score' must be 0 to 1; got {medianScore.Value.ToString(CultureInfo.InvariantCulture)}."
                : null;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
