using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Freshness;

/// <summary>One notebook's verdict: fresh (no problem), stale (why), or unreadable (the load error).</summary>
internal sealed record FreshnessVerdict(string Path, string? Problem)
{
    public bool IsFresh => Problem is null;

    public string Line => IsFresh ? $"{Path}: fresh" : Problem!.StartsWith(Path, StringComparison.Ordinal) ? Problem : $"{Path}: {Problem}";
}

/// <summary>
/// Are committed outputs fresh? A notebook's outputs are fresh when the runner wrote them
/// (its stamp is there), from the current code cells, with the notebook's own defaults (no injected
/// parameters, i.e. not quick mode), and the recorded run passed.
/// </summary>
internal static class OutputFreshness
{
    public static IReadOnlyList<FreshnessVerdict> Check(IEnumerable<string> paths) =>
        paths.Select(CheckOne).ToList();

    private static FreshnessVerdict CheckOne(string path)
    {
        try
        {
            return new FreshnessVerdict(path, ExecutionStamp.Staleness(Notebook.Load(path)));
        }
        catch (NotebookInputException e)
        {
            return new FreshnessVerdict(path, e.Message);
        }
    }
}
