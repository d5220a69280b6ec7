using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Freshness;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// The course's own notebooks: each runs top to bottom in quick mode (<c>-p Quick true</c>) through
/// the runner, each in a fresh .NET Interactive kernel, and the committed ones carry fresh outputs.
/// </summary>
[Collection(CourseProcesses.Name)]
public sealed class CourseNotebookTests
{
    /// <summary>Generous: quick mode is meant to take seconds, but a CPU-only CI machine is slow.</summary>
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Executed quick-mode notebooks land here (ignored by git) for a look after a failure.</summary>
    private static string OutputDirectory => Path.Combine(CourseNotebooks.RepositoryRoot, "artifacts", "notebook-tests");

    public static IEnumerable<object[]> Notebooks => CourseNotebooks.Find().Select(path => new object[] { path });

    [NotebookTheory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_in_quick_mode(string notebook)
    {
        var options = new RunOptions
        {
            Parameters = [new NotebookParameter("Quick", "true")],
            Output = OutputMode.Directory,
            OutputDirectory = OutputDirectory,
            CellTimeout = CellTimeout,
        };
        string path = Path.Combine(CourseNotebooks.RepositoryRoot, notebook);
        var result = await new NotebookRunner(options, SilentProgress.Instance).RunNotebookAsync(path, 1, 1, CancellationToken.None);

        Assert.True(result.Succeeded, $"{notebook}: {result.StatusText}: {result.Problem}");
        Nbformat.AssertValid(result.WrittenTo!);
        // What the kernel rendered: every figure or image has a plain-text form too (DESIGN §5; only
        // HTML(...) of a lesson's own is HTML alone), and the library's display types render in their
        // own MIME types through its TypeFormatterSourceAttribute.
        var bundles = Notebook.Load(result.WrittenTo!).Cells
            .SelectMany(c => c.Json["outputs"]?.AsArray() ?? [])
            .Select(o => o!["data"]?.AsObject())
            .OfType<JsonObject>()
            .ToList();
        Assert.All(bundles.Where(b => b.Any(p => p.Key.StartsWith("image/") || p.Key.StartsWith("application/"))),
            b => Assert.True(b.ContainsKey("text/plain"), $"{notebook}: a figure without text/plain: {string.Join(", ", b.Select(p => p.Key))}"));
        AssertChartsHaveBothForms(notebook, bundles);
        if (Path.GetFileName(notebook) == "03-lenet.ipynb")
            Assert.All(["image/png", "application/vnd.plotly.v1+json", "text/html"], mime => Assert.Contains(bundles, b => b.ContainsKey(mime)));
    }

    [Fact]
    public void Committed_charts_are_a_picture_for_GitHub_and_a_Plotly_figure_for_VS_Code_and_Jupyter()
    {
        foreach (var notebook in CourseNotebooks.Find())
        {
            var bundles = Notebook.Load(Path.Combine(CourseNotebooks.RepositoryRoot, notebook)).Cells
                .SelectMany(c => c.Json["outputs"]?.AsArray() ?? [])
                .Select(o => o!["data"]?.AsObject())
                .OfType<JsonObject>()
                .ToList();
            AssertChartsHaveBothForms(notebook, bundles);
        }
    }

    /// <summary>
    /// Every chart is one output with a PNG (what GitHub and nbviewer show) and a Plotly figure (what VS Code
    /// and JupyterLab make interactive); the only other pictures are image grids, which are PNG alone. No
    /// output is SVG: the course draws none of its own.
    /// </summary>
    private static void AssertChartsHaveBothForms(string notebook, IReadOnlyList<JsonObject> bundles)
    {
        Assert.All(bundles, b => Assert.False(b.ContainsKey("image/svg+xml"), $"{notebook}: an SVG output ({Text(b)})"));
        Assert.All(bundles.Where(b => b.ContainsKey("application/vnd.plotly.v1+json")),
            b => Assert.True(b.ContainsKey("image/png"), $"{notebook}: a Plotly figure without its picture ({Text(b)})"));
        Assert.All(bundles.Where(b => b.ContainsKey("image/png") && !Text(b).StartsWith("ImageGrid", StringComparison.Ordinal)),
            b => Assert.True(b.ContainsKey("application/vnd.plotly.v1+json"), $"{notebook}: a chart picture without its Plotly figure ({Text(b)})"));
    }

    private static string Text(JsonObject bundle) => bundle["text/plain"] is { } text ? MultilineText.Join(text) : "";

    [Fact]
    public void Committed_notebooks_have_fresh_outputs()
    {
        var stale = OutputFreshness.Check(CourseNotebooks.Find().Select(p => Path.Combine(CourseNotebooks.RepositoryRoot, p)))
            .Where(v => !v.IsFresh)
            .Select(v => v.Line)
            .ToList();
        Assert.True(stale.Count == 0, "run ./course run on these notebooks and commit them:\n" + string.Join("\n", stale));
    }
}
