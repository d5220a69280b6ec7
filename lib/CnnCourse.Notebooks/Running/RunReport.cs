using System.Text;

namespace CnnCourse.Notebooks.Running;

/// <summary>The table that closes a run: every notebook with its result and time, then what went wrong.</summary>
internal static class RunReport
{
    public static string Format(IReadOnlyList<NotebookResult> results)
    {
        var text = new StringBuilder();
        if (results.Count == 0) return "no notebooks to run\n";
        int pathWidth = Math.Max("notebook".Length, results.Max(r => r.Path.Length));
        int statusWidth = Math.Max("result".Length, results.Max(r => r.StatusText.Length));
        text.AppendLine($"{"notebook".PadRight(pathWidth)}  {"result".PadRight(statusWidth)}  {"time",8}");
        foreach (var result in results)
            text.AppendLine($"{result.Path.PadRight(pathWidth)}  {result.StatusText.PadRight(statusWidth)}  {result.ElapsedText,8}");

        int passed = results.Count(r => r.Succeeded);
        var total = TimeSpan.FromTicks(results.Sum(r => r.Elapsed.Ticks));
        string notebooks = results.Count == 1 ? "1 notebook" : $"{results.Count} notebooks";
        text.AppendLine($"{notebooks}: {passed} passed, {results.Count - passed} did not ({NotebookResult.FormatSeconds(total)})");

        var problems = results.Where(r => !r.Succeeded && r.Problem is not null).ToList();
        if (problems.Count > 0)
        {
            text.AppendLine();
            foreach (var result in problems)
                text.AppendLine(result.Problem!.StartsWith(result.Path, StringComparison.Ordinal) ? result.Problem : $"{result.Path}: {result.Problem}");
        }
        return text.ToString();
    }
}
