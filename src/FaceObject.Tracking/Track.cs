using FaceObject.Core.Results;

namespace FaceObject.Tracking;

/// <summary>
/// One followed object: its filter, its recent scores, its class (the class with the highest summed score over its
/// detections, so that a horse the detector calls a sheep now and then stays a horse), and which events it has raised.
/// </summary>
internal sealed class Track
{
    /// <summary>How many recent scores the stability median looks at.</summary>
    private const int ScoreWindow = 10;

    private readonly KalmanBoxFilter _filter;
    private readonly Queue<float> _scores = new();
    private readonly Dictionary<int, (string Name, float Votes)> _classVotes = [];

    public Track(int id, Detection detection, TimeSpan at, bool confirmed)
    {
        Id = id;
        _filter = new KalmanBoxFilter(detection.Bbox);
        FirstSeen = at;
        Confirmed = confirmed;
        Observe(detection, at);
    }

    public int Id { get; }

    public int ClassId { get; private set; }

    public string ClassName { get; private set; } = "";

    /// <summary>Matched in a second frame (or born in the tracker's first): only confirmed tracks survive a miss.</summary>
    public bool Confirmed { get; private set; }

    /// <summary>Not matched in the latest frame; kept for the lost-track buffer.</summary>
    public bool Lost { get; private set; }

    /// <summary>Frames in a row it was not matched in.</summary>
    public int Misses { get; private set; }

    public int Hits { get; private set; }

    public float BestScore { get; private set; }

    public TimeSpan FirstSeen { get; }

    public TimeSpan LastSeen { get; private set; }

    /// <summary>The detection that last updated it, for this frame's output.</summary>
    public Detection Latest { get; private set; } = null!;

    public bool Stable { get; private set; }

    /// <summary>When it last raised an event (New or Update), and its best score then.</summary>
    public TimeSpan LastEventAt { get; set; }

    public float BestScoreAtLastEvent { get; set; }

    public BoundingBox PredictedBox => _filter.Box;

    public void Predict() => _filter.Predict(holdSize: Lost);

    public void Update(Detection detection, TimeSpan at)
    {
        _filter.Update(detection.Bbox);
        Confirmed = true;
        Lost = false;
        Misses = 0;
        Observe(detection, at);
    }

    public void Miss()
    {
        Lost = true;
        Misses++;
    }

    /// <summary>Becomes stable once seen often enough with a high enough median score; returns whether that happened now.</summary>
    public bool CheckStable(int frames, float medianScore)
    {
        if (Stable || Hits < frames)
        {
            return false;
        }

        var sorted = _scores.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        Stable = median >= medianScore;
        return Stable;
    }

    private void Observe(Detection detection, TimeSpan at)
    {
        Hits++;
        LastSeen = at;
        var votes = (_classVotes.TryGetValue(detection.ClassId, out var earlier) ? earlier.Votes : 0) + detection.Confidence;
        _classVotes[detection.ClassId] = (detection.ClassName, votes);
        if (Hits == 1 || (detection.ClassId != ClassId && votes > _classVotes[ClassId].Votes))
        {
            ClassId = detection.ClassId;
            ClassName = detection.ClassName;
        }

        Latest = detection;
        BestScore = Math.Max(BestScore, detection.Confidence);
        _scores.Enqueue(detection.Confidence);
        if (_scores.Count > ScoreWindow)
        {
            _scores.Dequeue();
        }
    }
}
