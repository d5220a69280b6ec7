using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// The course library's charts in the real .NET Interactive kernel: a notebook in a folder of its own
/// references the Release build of CnnCourse.dll (as the lessons do) and shows each kind of chart. Each output
/// must hold both renderings in one bundle: a PNG for GitHub and Plotly figure JSON for VS Code and
/// JupyterLab, with a text fallback, and no HTML (GitHub would prefer it over the picture).
/// </summary>
[Collection(CourseProcesses.Name)]
public sealed class CourseChartKernelTests
{
    private static string Library => Path.Combine(CourseNotebooks.RepositoryRoot, "artifacts", "bin", "CnnCourse", "release", "CnnCourse.dll");

    [Fact]
    public async Task A_line_chart_displays_as_png_and_plotly_json_in_one_output()
    {
        Assert.True(File.Exists(Library), $"build the library first (./course build): {Library}");
        using var folder = new TempDirectory();
        string notebook = folder.File("chart.ipynb");
        new NotebookBuilder()
            .Code($"#r \"{Library}\"\nusing CnnCourse.Visualization;")
            .Code("Chart.Line(\"Loss\", \"epoch\", \"cross-entropy\").Add(\"train\", new[] { 2.0, 1.2, 0.8 })" +
                  ".Add(\"validation\", new[] { 2.1, 1.5, 1.3 }, dashed: true)")
            .Write(notebook);
        var options = new RunOptions { Output = OutputMode.Directory, OutputDirectory = folder.File("out"), CellTimeout = TimeSpan.FromMinutes(3) };
        var result = (await RunnerHarness.RunAsync(options, notebook)).Single();
        Assert.True(result.Succeeded, $"{result.StatusText}: {result.Problem}");

        var output = Notebook.Load(result.WrittenTo!).Cells[1].Json["outputs"]!.AsArray().Single()!;
        var bundle = output["data"]!.AsObject();
        Assert.Equal(["application/vnd.plotly.v1+json", "image/png", "text/plain"], bundle.Select(p => p.Key).Order(StringComparer.Ordinal));
        // The PNG as base64 text, the figure as JSON (not a string holding JSON), as Jupyter stores them.
        byte[] png = Convert.FromBase64String(MultilineText.Join(bundle["image/png"]));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var figure = bundle["application/vnd.plotly.v1+json"]!.AsObject();
        Assert.Equal(["train", "validation"], figure["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("cross-entropy", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.StartsWith("LineChart \"Loss\": 2 series", MultilineText.Join(bundle["text/plain"]));
    }

    [Fact]
    public async Task Bar_scatter_heatmap_and_row_charts_each_display_as_png_and_plotly_json_in_one_output()
    {
        Assert.True(File.Exists(Library), $"build the library first (./course build): {Library}");
        using var folder = new TempDirectory();
        string notebook = folder.File("charts.ipynb");
        new NotebookBuilder()
            .Code($"#r \"{Library}\"\nusing CnnCourse.Visualization;")
            .Code("Chart.Bar(new[] { \"cat\", \"dog\" }, \"Recall\", null, \"recall (%)\").Add(\"LeNet\", new[] { 61.0, 70 }).ShowValues(\"0\")")
            .Code("Chart.Scatter(\"Size\", \"parameters\", \"accuracy (%)\", logX: true)" +
                  ".Add(\"CNNs\", new[] { 6e4, 1.1e7 }, new[] { 71.0, 90 }, new[] { \"LeNet\", \"ResNet\" })")
            .Code("Chart.ConfusionMatrix(new[,] { { 9, 1 }, { 2, 8 } }, new[] { \"cat\", \"dog\" })")
            .Code("Chart.Row(\"Run\", Chart.Line(\"Loss\", \"epoch\", \"loss\").Add(\"train\", new[] { 2.0, 1.0 }), " +
                  "Chart.Bar(new[] { \"a\" }, \"Bars\").Add(\"s\", new[] { 1.0 }))")
            // The live training view as a lesson shows it: through the prelude's display, shown once and updated in place.
            .Code("var Quick = true; var Device = \"cpu\"; var RandomSeed = 0;")
            .Code($"#load \"{Path.Combine(CourseNotebooks.RepositoryRoot, "notebooks", "prelude.csx")}\"")
            .Code("var sink = Progress.Notebook(x => display(x), minInterval: TimeSpan.Zero);\n" +
                  "sink.FitStarted(1, 2, 4);\n" +
                  "sink.BatchEnded(new ProgressSnapshot(1, 2, 2, 4, 64, 0.9, 0.6, 500, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));\n" +
                  "sink.EpochEnded(new EpochRecord(1, 0.8, 0.7, 0.75, 0.72, 0.1, 2, 500), 2);\n" +
                  "sink.EpochEnded(new EpochRecord(2, 0.5, 0.8, 0.55, 0.79, 0.01, 2, 500), 2);\n" +
                  "sink.FitEnded(new History(), null);")
            .Write(notebook);
        var options = new RunOptions { Output = OutputMode.Directory, OutputDirectory = folder.File("out"), CellTimeout = TimeSpan.FromMinutes(3) };
        var result = (await RunnerHarness.RunAsync(options, notebook)).Single();
        Assert.True(result.Succeeded, $"{result.StatusText}: {result.Problem}");

        var cells = Notebook.Load(result.WrittenTo!).Cells;
        (string Text, string TraceType)[] expected =
        [
            ("BarChart \"Recall\"", "bar"), ("ScatterChart \"Size\"", "scatter"), ("Heatmap \"Confusion matrix\"", "heatmap"), ("FigureRow \"Run\"", "scatter"),
        ];
        for (int i = 0; i < expected.Length; i++)
        {
            var bundle = cells[i + 1].Json["outputs"]!.AsArray().Single()!["data"]!.AsObject();
            Assert.Equal(["application/vnd.plotly.v1+json", "image/png", "text/plain"], bundle.Select(p => p.Key).Order(StringComparer.Ordinal));
            byte[] png = Convert.FromBase64String(MultilineText.Join(bundle["image/png"]));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            var figure = bundle["application/vnd.plotly.v1+json"]!.AsObject();
            Assert.Equal(expected[i].TraceType, figure["data"]![0]!["type"]!.GetValue<string>());
            Assert.StartsWith(expected[i].Text, MultilineText.Join(bundle["text/plain"]));
        }

        // Every update replaced the one output: what stays is the final chart, with both epochs' lines as its text.
        var live = cells[expected.Length + 3].Json["outputs"]!.AsArray().Single()!["data"]!.AsObject();
        Assert.Equal(["application/vnd.plotly.v1+json", "image/png", "text/plain"], live.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("epoch 1/2 loss 0.8000", MultilineText.Join(live["text/plain"]));
        Assert.Contains("epoch 2/2 loss 0.5000", MultilineText.Join(live["text/plain"]));
        var x = live["application/vnd.plotly.v1+json"]!["data"]![0]!["x"]!.AsArray().Select(v => v!.GetValue<double>());
        Assert.Equal([1.0, 2.0], x);
    }
}
