namespace FaceObject.Testing;

/// <summary>
/// Locations the tests read from: the repository root (the folder holding FaceObject.sln) and the shared folder
/// beside it (../shared), which holds the real models and test images. FACEOBJECT_SHARED overrides the latter.
/// </summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string Shared =>
        Environment.GetEnvironmentVariable("FACEOBJECT_SHARED") is { Length: > 0 } overridden
            ? Path.GetFullPath(overridden)
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string Models => Path.Combine(Shared, "models");

    public static string Images => Path.Combine(Shared, "testdata", "images");

    public static string Videos => Path.Combine(Shared, "testdata", "videos");

    public static string Model(string fileName) => RequireFile(Path.Combine(Models, fileName));

    public static string Image(string fileName) => RequireFile(Path.Combine(Images, fileName));

    public static string Video(string fileName) => RequireFile(Path.Combine(Videos, fileName));

    public static byte[] ImageBytes(string fileName) => File.ReadAllBytes(Image(fileName));

    private static string RequireFile(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"Test data '{path}' is missing: the tests expect ../shared beside the repository (or FACEOBJECT_SHARED).", path);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceObject.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"FaceObject.sln not found above {AppContext.BaseDirectory}.");
    }
}
