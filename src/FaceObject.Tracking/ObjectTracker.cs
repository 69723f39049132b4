using FaceObject.Core.Results;
using FaceObject.Core.Streams;

namespace FaceObject.Tracking;

/// <summary>
/// ByteTrack's association: every track's box is predicted by its Kalman filter; high-score detections are matched
/// first against all confirmed tracks (followed and lost) by IoU, then low-score detections against the followed
/// tracks still unmatched (they recover objects whose score dipped when partly hidden); tracks born last frame get
/// the remaining high-score detections; what is left of those, above <see cref="TrackerOptions.NewTrackScore"/>,
/// starts new tracks. A detection of another class than the track's continues it only with a much larger overlap
/// (<see cref="ClassChangeCost"/>): detectors flip between near classes (dog and cat, horse and sheep) on one object,
/// while two objects of different classes rarely overlap that much. Lost tracks are dropped after
/// <see cref="TrackerOptions.LostTrackBuffer"/>. One tracker per stream or video; not thread-safe.
/// </summary>
public sealed class ObjectTracker(TrackerOptions options)
{
    /// <summary>IoU a low-score detection needs to continue a track, and a track born last frame needs to be confirmed (ByteTrack's 0.5 and 0.7 cost limits).</summary>
    private const double LowScoreMatchIoU = 0.5;
    private const double UnconfirmedMatchIoU = 0.3;

    /// <summary>Added to the cost (1 - IoU) of a detection of another class: at the first stage's limit it needs IoU 0.5 rather than 0.2.</summary>
    private const double ClassChangeCost = 0.3;

    /// <summary>Two detections of different classes overlapping this much are one object the detector named twice (its NMS is per class).</summary>
    private const double DuplicateIoU = 0.7;

    /// <summary>How many frames in a row a lost track is still reported at its predicted box in <see cref="TrackerUpdate.Coasting"/>.</summary>
    private const int MaxCoastingMisses = 1;

    private readonly List<Track> _tracks = [];
    private readonly SortedDictionary<string, int> _stableCounts = new(StringComparer.Ordinal);
    private int _nextId = 1;
    private bool _started;

    /// <summary>The number of distinct stable tracks so far per class, ended or not.</summary>
    public IReadOnlyDictionary<string, int> StableCounts => _stableCounts;

    /// <summary>Takes one frame's detections at <paramref name="at"/> (times must not go backwards).</summary>
    public TrackerUpdate Update(IReadOnlyList<Detection> detections, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(detections);
        detections = WithoutDuplicates(detections);
        var events = new List<TrackEvent>();
        var high = detections.Where(d => d.Confidence >= options.HighScore).ToList();
        var low = detections.Where(d => d.Confidence >= options.LowScore && d.Confidence < options.HighScore).ToList();
        foreach (var track in _tracks)
        {
            track.Predict();
        }

        var matched = new List<Track>();
        var confirmed = _tracks.Where(t => t.Confirmed).ToList();
        var (firstPairs, unmatchedTracks, unmatchedHigh) = Associate(confirmed, high, 1 - options.MatchIoU);
        Apply(firstPairs, at, matched);

        var followed = unmatchedTracks.Where(t => !t.Lost).ToList();
        var (secondPairs, stillUnmatched, _) = Associate(followed, low, 1 - LowScoreMatchIoU);
        Apply(secondPairs, at, matched);
        foreach (var track in stillUnmatched.Concat(unmatchedTracks.Where(t => t.Lost)).ToList())
        {
            track.Miss();
        }

        var unconfirmed = _tracks.Where(t => !t.Confirmed).ToList();
        var (thirdPairs, deadUnconfirmed, newcomers) = Associate(unconfirmed, unmatchedHigh, 1 - UnconfirmedMatchIoU);
        Apply(thirdPairs, at, matched);
        foreach (var track in deadUnconfirmed)
        {
            // Unlike ByteTrack, a track born last frame survives one miss: with detectors that miss one frame in ten,
            // dropping it at once splits many objects' first seconds into two ids.
            track.Miss();
            if (track.Misses > 1)
            {
                _tracks.Remove(track);
            }
        }

        foreach (var detection in newcomers.Where(d => d.Confidence >= options.NewTrackScore))
        {
            // As in ByteTrack, tracks of the very first frame count as confirmed: there is no earlier frame to confirm them.
            var track = new Track(_nextId++, detection, at, confirmed: !_started);
            _tracks.Add(track);
            matched.Add(track);
        }

        _started = true;
        foreach (var track in matched)
        {
            Announce(track, at, events);
        }

        foreach (var track in _tracks.Where(t => t.Lost && at - t.LastSeen > options.LostTrackBuffer).ToList())
        {
            _tracks.Remove(track);
            End(track, events);
        }

        var tracked = matched
            .OrderByDescending(t => t.Latest.Confidence)
            .Select(t => new TrackedDetection(t.Latest with { TrackId = t.Id, ClassId = t.ClassId, ClassName = t.ClassName }, t.Id, t.Stable))
            .ToList();
        var coasting = _tracks
            .Where(t => t.Lost && t.Misses <= MaxCoastingMisses)
            .Select(t => new TrackedDetection(t.Latest with { TrackId = t.Id, ClassId = t.ClassId, ClassName = t.ClassName, Bbox = t.PredictedBox }, t.Id, t.Stable))
            .ToList();
        return new TrackerUpdate(tracked, events, coasting);
    }

    /// <summary>Ends every track (the video or stream is over): an End event for each stable one.</summary>
    public IReadOnlyList<TrackEvent> Finish(TimeSpan at)
    {
        var events = new List<TrackEvent>();
        foreach (var track in _tracks)
        {
            End(track, events);
        }

        _tracks.Clear();
        return events;
    }

    private static void Apply(IEnumerable<(Track Track, Detection Detection)> pairs, TimeSpan at, List<Track> matched)
    {
        foreach (var (track, detection) in pairs)
        {
            track.Update(detection, at);
            matched.Add(track);
        }
    }

    private void Announce(Track track, TimeSpan at, List<TrackEvent> events)
    {
        if (track.CheckStable(options.StableFrames, options.StableMedianScore))
        {
            _stableCounts[track.ClassName] = _stableCounts.GetValueOrDefault(track.ClassName) + 1;
            Raise(track, TrackEventKind.New, at, events);
        }
        else if (track.Stable && (at - track.LastEventAt >= options.UpdateInterval || track.BestScore > track.BestScoreAtLastEvent))
        {
            Raise(track, TrackEventKind.Update, at, events);
        }
    }

    private static void Raise(Track track, TrackEventKind kind, TimeSpan at, List<TrackEvent> events)
    {
        track.LastEventAt = at;
        track.BestScoreAtLastEvent = track.BestScore;
        events.Add(new TrackEvent(kind, track.Id, track.ClassName, track.BestScore, track.FirstSeen, track.LastSeen, track.Latest.Bbox));
    }

    private static void End(Track track, List<TrackEvent> events)
    {
        if (track.Stable)
        {
            events.Add(new TrackEvent(TrackEventKind.End, track.Id, track.ClassName, track.BestScore, track.FirstSeen, track.LastSeen, track.Latest.Bbox));
        }
    }

    /// <summary>Keeps, of detections of different classes on one object, the most confident; the others would start tracks of their own.</summary>
    private static List<Detection> WithoutDuplicates(IReadOnlyList<Detection> detections)
    {
        var kept = new List<Detection>(detections.Count);
        foreach (var detection in detections.OrderByDescending(d => d.Confidence))
        {
            if (!kept.Exists(k => k.Bbox.IoU(detection.Bbox) > DuplicateIoU))
            {
                kept.Add(detection);
            }
        }

        return kept;
    }

    /// <summary>Matches tracks to detections by IoU of the predicted box, accepting cost (1 - IoU, more across classes) up to <paramref name="costLimit"/>.</summary>
    private static (List<(Track, Detection)> Pairs, List<Track> UnmatchedTracks, List<Detection> UnmatchedDetections) Associate(
        List<Track> tracks, List<Detection> detections, double costLimit)
    {
        var cost = new double[tracks.Count, detections.Count];
        for (var t = 0; t < tracks.Count; t++)
        {
            var predicted = tracks[t].PredictedBox;
            for (var d = 0; d < detections.Count; d++)
            {
                var overlapCost = 1 - predicted.IoU(detections[d].Bbox);
                cost[t, d] = tracks[t].ClassId == detections[d].ClassId ? overlapCost : overlapCost + ClassChangeCost;
            }
        }

        var pairs = LinearAssignment.Solve(cost, costLimit);
        var usedTracks = pairs.Select(p => p.Row).ToHashSet();
        var usedDetections = pairs.Select(p => p.Column).ToHashSet();
        return (
            [.. pairs.Select(p => (tracks[p.Row], detections[p.Column]))],
            [.. tracks.Where((_, i) => !usedTracks.Contains(i))],
            [.. detections.Where((_, i) => !usedDetections.Contains(i))]);
    }
}
