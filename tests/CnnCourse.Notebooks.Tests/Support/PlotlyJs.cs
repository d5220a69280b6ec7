using System.Globalization;
using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// Plotly figures drawn by the real plotly.js in headless Chromium: Jupyter/render_plotly.py, run with
/// Debian's Python, Selenium, chromium and chromedriver as the browser test runs them, on a local page
/// that loads the plotly.js <c>./course setup</c> installs (pinned in tools/plotly). Nothing is downloaded
/// here. Also compiled into CnnCourse.Tests, for the library's own charts.
/// </summary>
internal sealed class PlotlyJs(string repositoryRoot)
{
    /// <summary>For Chromium to start and draw every figure (a second or two alone; a shared CI machine is slower).</summary>
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(5);

    /// <summary>plotly.min.js as <c>./course setup</c> installs it (<c>npm ci</c> of tools/plotly, which checks its sha512).</summary>
    public string Script => Path.Combine(repositoryRoot, "artifacts", "npm", "plotly", "node_modules", "plotly.js-dist-min", "plotly.min.js");

    /// <summary>The version tools/plotly pins.</summary>
    public string PinnedVersion =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(repositoryRoot, "tools", "plotly", "package.json")))!["dependencies"]!["plotly.js-dist-min"]!
            .GetValue<string>();

    private string Driver => Path.Combine(repositoryRoot, "tests", "CnnCourse.Notebooks.Tests", "Jupyter", "render_plotly.py");

    /// <summary>A figure to draw: <paramref name="Label"/> says where it comes from in a failure message.</summary>
    public sealed record Figure(string Label, JsonNode Json);

    /// <summary>What plotly.js made of one figure (render_plotly.py's docstring explains each field).</summary>
    public sealed record Rendered(string Label, string? Error, int Data, int FullData, int Visible, int TraceGroups, int MainSvgs,
        IReadOnlyList<string> Types, IReadOnlyList<string> Invalid, IReadOnlyList<string> Console)
    {
        /// <summary>Why the figure is not an interactive chart in VS Code or Jupyter; none when it is.</summary>
        public IEnumerable<string> Problems()
        {
            if (Error is not null)
            {
                yield return $"Plotly.newPlot failed: {Error}";
                yield break;
            }
            foreach (string message in Invalid)
                yield return $"Plotly.validate: {message}";
            if (FullData != Data)
                yield return $"plotly.js kept {FullData} of the figure's {Data} traces";
            if (Data > 0 && Visible == 0)
                yield return "plotly.js draws none of the figure's traces (none is visible)";
            if (TraceGroups != Visible)
                yield return $"the page shows {TraceGroups} trace groups (g.trace, g.hm) for {Visible} visible traces ({string.Join(", ", Types)})";
            if (MainSvgs == 0)
                yield return "no plot SVG (svg.main-svg) in the page";
            foreach (string line in Console.Where(l => !l.StartsWith("warn:", StringComparison.Ordinal)))
                yield return $"plotly.js logged {line}";
        }
    }

    /// <summary>
    /// Draws every figure in one browser session. The packages, the driver and plotly.js must be there
    /// (<c>./course setup</c> installs them); a missing one fails the test, as the browser test does.
    /// </summary>
    public async Task<(string Version, IReadOnlyList<Rendered> Results)> RenderAsync(IReadOnlyList<Figure> figures)
    {
        DebianPackages.Require(DebianPackage.Chromium, DebianPackage.ChromiumDriver, DebianPackage.Selenium);
        Assert.True(File.Exists(Script),
            $"plotly.js is not installed ({Script}): run ./course setup (it installs the version tools/plotly pins with npm ci)");

        string work = Directory.CreateTempSubdirectory("cnncourse-plotly-").FullName;
        ChildProcess? browser = null;
        try
        {
            string input = Path.Combine(work, "figures.json");
            var list = new JsonArray([.. figures.Select(f => (JsonNode)new JsonObject { ["label"] = f.Label, ["figure"] = f.Json.DeepClone() })]);
            await File.WriteAllTextAsync(input, list.ToJsonString());
            browser = ChildProcess.Start(DebianPackages.Python, [Driver, "--figures", input, "--plotly", Script, "--work", work], work);
            bool finished = await browser.WaitForExitAsync(RenderTimeout);
            Assert.True(finished, $"render_plotly.py still ran after {RenderTimeout.TotalMinutes:0} minutes:\n{browser.Tail()}");
            string last = browser.Stdout.Trim().Split('\n')[^1];
            Assert.True(browser.ExitCode == 0 && last.StartsWith('{'), $"render_plotly.py failed ({browser.ExitCode}):\n{browser.Tail()}");
            var report = JsonNode.Parse(last)!.AsObject();
            string version = report["plotly_version"]!.GetValue<string>();
            var results = report["results"]!.AsArray().Select(r => Read(r!.AsObject())).ToList();
            Assert.True(results.Count == figures.Count, $"render_plotly.py reported {results.Count} of {figures.Count} figures:\n{browser.Tail()}");
            return (version, results);
        }
        finally
        {
            // Whatever happened: the driver, chromedriver and Chromium end here.
            browser?.Dispose();
            ChildProcess.KillMentioning(work);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One line per figure that does not render, naming it and saying why; empty when all do.</summary>
    public static string Failures(IEnumerable<Rendered> results) =>
        string.Join("\n", results.Where(r => r.Problems().Any()).Select(r => $"{r.Label}:\n  " + string.Join("\n  ", r.Problems())));

    private static Rendered Read(JsonObject r)
    {
        static IReadOnlyList<string> Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        static int Number(JsonNode? node) => node is null ? 0 : int.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);
        return new Rendered(r["label"]!.GetValue<string>(), r["error"]?.GetValue<string>(), Number(r["data"]), Number(r["full_data"]),
            Number(r["visible"]), Number(r["trace_groups"]), Number(r["main_svgs"]), Strings(r["types"]), Strings(r["invalid"]),
            Strings(r["console"]));
    }
}
