using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Tests.Support;
using Xunit.Abstractions;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// The committed notebooks' charts are interactive in VS Code and Jupyter only if plotly.js accepts the
/// figures the course writes itself (application/vnd.plotly.v1+json). Each one is drawn here by the real
/// plotly.js, the version tools/plotly pins, in headless Chromium (Support/PlotlyJs).
/// </summary>
public sealed class PlotlyJsTests(ITestOutputHelper output)
{
    private const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    private readonly PlotlyJs plotly = new(CourseNotebooks.RepositoryRoot);

    [Fact(Timeout = 10 * 60 * 1000)]
    public async Task Every_committed_notebooks_Plotly_figures_render_in_plotly_js_in_Chromium()
    {
        var notebooks = CourseNotebooks.Find();
        var figures = notebooks.SelectMany(Figures).ToList();
        // Every chart the course draws carries a Plotly figure (CourseNotebookTests), and the lessons draw charts.
        Assert.True(figures.Count > 0, $"no Plotly figure in the {notebooks.Count} committed notebooks' outputs");

        var (version, results) = await this.plotly.RenderAsync(figures);

        Assert.Equal(this.plotly.PinnedVersion, version);
        foreach (string notebook in notebooks)
        {
            var mine = results.Where(r => r.Label.StartsWith(notebook + ",", StringComparison.Ordinal)).ToList();
            int rendered = mine.Count(r => !r.Problems().Any());
            output.WriteLine($"{notebook}: {rendered} of {mine.Count} figures rendered, {mine.Sum(r => r.TraceGroups)} traces drawn");
        }
        string failures = PlotlyJs.Failures(results);
        Assert.True(failures.Length == 0, $"plotly.js {version} does not render these figures of the committed notebooks:\n{failures}");
    }

    /// <summary>
    /// Every Plotly figure in a notebook's outputs, labelled with the notebook, the cell (as the runner
    /// names cells), the output and its text form.
    /// </summary>
    internal static IEnumerable<PlotlyJs.Figure> Figures(string notebook)
    {
        var cells = Notebook.Load(Path.Combine(CourseNotebooks.RepositoryRoot, notebook)).Cells;
        int codeCell = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            if (!cells[i].IsCode) continue;
            codeCell++;
            var outputs = cells[i].Json["outputs"]?.AsArray() ?? [];
            for (int k = 0; k < outputs.Count; k++)
            {
                if (outputs[k]?["data"] is not JsonObject bundle || bundle[PlotlyMimeType] is not { } figure) continue;
                string text = bundle["text/plain"] is { } plain ? MultilineText.Join(plain).Split('\n')[0] : "";
                yield return new PlotlyJs.Figure($"{notebook}, cell {i + 1} (code cell {codeCell}), output {k + 1}: {text}", figure);
            }
        }
    }
}
