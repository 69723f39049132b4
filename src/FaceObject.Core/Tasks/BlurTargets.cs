namespace FaceObject.Core.Tasks;

/// <summary>
/// Which classes <c>blur=true</c> covers for a model: the classes named in <c>blur_classes</c> (any model, matched
/// without regard to case), else <c>face</c> when the model has that class (every detection of a face model), else
/// <c>person</c>. Used by the worker, which knows the model's classes, and by the API to refuse a bad
/// <c>blur_classes</c> early when a worker has reported them. Stateless.
/// </summary>
public static class BlurTargets
{
    public const string FaceClass = "face";

    public const string DefaultObjectClass = "person";

    /// <param name="classNames">The model's class names by class id.</param>
    /// <param name="requested">The task's <c>blur_classes</c>, or null for the default.</param>
    /// <param name="classIds">The class ids to blur.</param>
    /// <param name="error">Why the request cannot be honoured: a message for the client naming the accepted classes.</param>
    public static bool TryResolve(
        IReadOnlyList<string> classNames, IReadOnlyList<string>? requested, out IReadOnlySet<int> classIds, out string error)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        error = "";
        var ids = new HashSet<int>();
        classIds = ids;
        if (requested is { Count: > 0 })
        {
            var unknown = new List<string>();
            foreach (var name in requested)
            {
                var matches = Enumerable.Range(0, classNames.Count)
                    .Where(i => string.Equals(classNames[i], name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (matches.Count == 0)
                {
                    unknown.Add(name);
                }

                ids.UnionWith(matches);
            }

            if (unknown.Count > 0)
            {
                error = $"blur_classes {string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "is not a class" : "are not classes")} of this model; its classes are: {string.Join(", ", classNames)}.";
                return false;
            }

            return true;
        }

        foreach (var fallback in new[] { FaceClass, DefaultObjectClass })
        {
            ids.UnionWith(Enumerable.Range(0, classNames.Count).Where(i => string.Equals(classNames[i], fallback, StringComparison.OrdinalIgnoreCase)));
            if (ids.Count > 0)
            {
                return true;
            }
        }

        error = $"blur=true needs blur_classes for this model: it has no '{FaceClass}' or '{DefaultObjectClass}' class to blur by default; its classes are: {string.Join(", ", classNames)}.";
        return false;
    }
}
