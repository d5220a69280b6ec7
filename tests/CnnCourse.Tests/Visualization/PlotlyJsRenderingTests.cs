using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Tests.Support;
using CnnCourse.Tests.EnvironmentChecks;
using CnnCourse.Training;
using CnnCourse.Visualization;
using Xunit.Abstractions;

namespace CnnCourse.Tests.Visualization;

/// <summary>
/// Every kind of chart the library makes, with the options the lessons use, drawn by the real plotly.js
/// (the version tools/plotly pins) in headless Chromium: the figure JSON the course writes itself must be
/// one plotly.js accepts, draws trace by trace, and finds nothing unknown in. The notebooks' committed
/// figures go through the same check in CnnCourse.Notebooks.Tests (PlotlyJsTests); this one needs no
/// notebook run.
/// </summary>
public class PlotlyJsRenderingTests(ITestOutputHelper output)
{
    private static readonly string[] Classes = ["cat", "dog", "owl"];

    private static History Run(bool validated, bool accuracy) =>
        new([.. Enumerable.Range(1, 4).Select(e => new EpochRecord(e, 2.0 / e, accuracy ? 0.5 + 0.1 * e : double.NaN,
            validated ? 2.2 / e : double.NaN, validated && accuracy ? 0.45 + 0.1 * e : double.NaN, 0.1 / e, 3.5, 1200))]);

    private static IEnumerable<(string Name, Figure Chart)> Charts()
    {
        yield return ("Chart.Line, two series, one dashed, a NaN gap", Chart.Line("Loss", "epoch", "cross-entropy")
            .Add("train", [2.0, 1.2, double.NaN, 0.8]).Add("validation", [2.1, 1.5, 1.4, 1.3], dashed: true));
        yield return ("Chart.Line, log y, markers, ranges, legend lower left", Chart.Line("LR", "step", "lr", logY: true)
            .Add("lr", [1.0, 2, 3, 4], [1e-1, 1e-2, 1e-3, 1e-4]).Markers().XRange(0, 5).YRange(1e-5, 1).WithLegend(LegendPosition.LowerLeft));
        yield return ("Chart.Line, no legend, sized", Chart.Line("ReLU").Add("relu", [-2.0, -1, 0, 1, 2], [0.0, 0, 0, 1, 2])
            .WithLegend(LegendPosition.None).Size(400, 300));
        yield return ("Chart.Bar, two series, values shown, y range", Chart.Bar(Classes, "Recall per class", "class", "recall (%)")
            .Add("LeNet", [62.5, 70, 41]).Add("ResNet", [88.0, 91, 77]).ShowValues("0.0").YRange(0, 100));
        yield return ("Chart.Scatter, log x, labelled points, two groups", Chart.Scatter("Accuracy vs parameters", "parameters", "accuracy (%)", logX: true)
            .Add("CNNs", [61_706, 9_231_114, 11_181_642], [71.2, 86.5, 90.1], ["LeNet", "VGG-11", "ResNet-18"]).Add("baseline", 1e5, 60, "MLP"));
        yield return ("Chart.Scatter, unlabelled points", Chart.Scatter("Spiral", "x", "y").Add("points", [0.0, 1, 2], [1.0, 0, 2]));
        yield return ("Chart.ConfusionMatrix", Chart.ConfusionMatrix(new[,] { { 50, 8, 2 }, { 5, 40, 0 }, { 1, 0, 9 } }, Classes));
        yield return ("Chart.Heatmap, RdBu, colour range, cell format", Chart.Heatmap(new double[,] { { -1, 0.5 }, { 0.25, 1 } }, ["a", "b"], ["c", "d"])
            .WithColormap(Colormap.RdBu).ColorRange(-1, 1).CellFormat("0.00").Labels("column", "row"));
        yield return ("Chart.Heatmap, gray, rows normalised", Chart.Heatmap(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }).WithColormap(Colormap.Gray).NormalizeRows());
        yield return ("Chart.Row of a line, a bar and a heatmap", Chart.Row("One run", Chart.Line("Loss", "epoch", "loss").Add("train", [2.0, 1.2, 0.8]),
            Chart.Bar(["a", "b"], "Bars").Add("s", [1.0, 2]), Chart.ConfusionMatrix(new[,] { { 3, 1 }, { 0, 4 } })));
        yield return ("History.Plot, validated, with accuracy", Run(validated: true, accuracy: true).Plot("LeNet-5"));
        yield return ("History.Plot, loss only", Run(validated: false, accuracy: false).Plot());
        yield return ("History.PlotLearningRate", Run(validated: true, accuracy: true).PlotLearningRate());
    }

    [Fact(Timeout = 10 * 60 * 1000)]
    public async Task Every_kind_of_chart_renders_in_plotly_js_in_Chromium()
    {
        var figures = Charts().Select(c => new PlotlyJs.Figure($"{c.Name} ({c.Chart})", JsonNode.Parse(c.Chart.ToPlotlyJson())!)).ToList();
        var plotly = new PlotlyJs(Repository.Root);

        var (version, results) = await plotly.RenderAsync(figures);

        Assert.Equal(plotly.PinnedVersion, version);
        foreach (var r in results)
            output.WriteLine($"{r.Label}: {r.TraceGroups} of {r.Data} traces drawn ({string.Join(", ", r.Types)})");
        string failures = PlotlyJs.Failures(results);
        Assert.True(failures.Length == 0, $"plotly.js {version} does not render these charts of the library:\n{failures}");
        // Each chart was drawn, trace by trace: the row of three has a trace per chart at least.
        Assert.All(results, r => Assert.True(r.TraceGroups > 0, $"{r.Label}: nothing drawn"));
        Assert.True(results.Single(r => r.Label.StartsWith("Chart.Row", StringComparison.Ordinal)).TraceGroups >= 3);
    }

    /// <summary>The check itself: figures plotly.js throws on, ignores in part or does not draw are named with plotly.js's words.</summary>
    [Fact(Timeout = 10 * 60 * 1000)]
    public async Task The_check_names_each_figure_plotly_js_rejects_and_why()
    {
        static PlotlyJs.Figure Figure(string label, string json) => new(label, JsonNode.Parse(json)!);
        const string Line = "{\"type\": \"scatter\", \"x\": [1, 2], \"y\": [3, 4]}";
        PlotlyJs.Figure[] figures =
        [
            Figure("good", $"{{\"data\": [{Line}], \"layout\": {{}}}}"),
            Figure("a null trace", "{\"data\": [null], \"layout\": {}}"),
            Figure("not a figure", "{\"data\": {}, \"layout\": {}}"),
            Figure("an unknown trace type", "{\"data\": [{\"type\": \"lines\", \"x\": [1], \"y\": [1]}]}"),
            Figure("a misspelt attribute", $"{{\"data\": [{Line}], \"layout\": {{\"xaxis\": {{\"titel\": {{\"text\": \"epoch\"}}}}}}}}"),
            Figure("no trace visible", "{\"data\": [{\"type\": \"bar\", \"x\": [\"a\"], \"y\": [1], \"visible\": false}]}"),
        ];

        var (_, results) = await new PlotlyJs(Repository.Root).RenderAsync(figures);

        string Problems(string label) => string.Join("\n", results.Single(r => r.Label == label).Problems());
        Assert.Equal("", Problems("good"));
        Assert.Contains("Plotly.newPlot failed: Cannot read properties of null", Problems("a null trace"));
        Assert.Contains("Plotly.newPlot failed: not a Plotly figure: no data array", Problems("not a figure"));
        Assert.Contains("Plotly.validate: In data trace 0, key type is set to an invalid value (lines)", Problems("an unknown trace type"));
        Assert.Contains("Plotly.validate: In layout, key xaxis.titel is not part of the schema", Problems("a misspelt attribute"));
        Assert.Contains("plotly.js draws none of the figure's traces", Problems("no trace visible"));
        Assert.StartsWith("a null trace:\n  Plotly.newPlot failed", PlotlyJs.Failures(results));
    }
}
