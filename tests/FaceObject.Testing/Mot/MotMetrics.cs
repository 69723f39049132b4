namespace FaceObject.Testing.Mot;

/// <summary>CLEAR MOT and identity figures of a tracker's output against ground truth.</summary>
public sealed record MotMetrics(int GroundTruth, int Matches, int FalseNegatives, int FalsePositives, int IdSwitches, double Mota, double Idf1)
{
    public override string ToString() =>
        $"MOTA {Mota:F3}, IDF1 {Idf1:F3} (GT {GroundTruth}, matches {Matches}, FN {FalseNegatives}, FP {FalsePositives}, ID switches {IdSwitches})";
}
