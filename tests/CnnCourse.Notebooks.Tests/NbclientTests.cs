using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// The runner against Jupyter's own executor: a copy of notebook 01 in quick mode, run by the course
/// runner (stdio protocol), then the very notebook it wrote (its injected-parameters cell included)
/// run again by nbclient (Debian's python3-nbclient) through the course's kernelspec (Jupyter's
/// messaging protocol). Every code cell must end with the same outputs: output types, execution
/// counts and every MIME type's data (tables, tensors, PNG images) alike. The one known difference
/// is left out: the kernel's HTML/JavaScript bootstrap, which Jupyter front ends get in the first
/// cell they run and the stdio kernel never sends.
/// </summary>
[Collection(JupyterCollection.Name)]
public sealed class NbclientTests
{
    private const string NotebookName = "01-convolution.ipynb";

    /// <summary>Per cell, for either executor: quick mode takes about 20 s in all, a loaded CI machine longer.</summary>
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The whole nbclient run, kernel start included.</summary>
    private static readonly TimeSpan NbclientTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The element the kernel's Jupyter bootstrap output starts with (dotnet-interactive's script that finds its output cell).</summary>
    private const string BootstrapMarker = "dotnet-interactive-this-cell";

    [Fact(Timeout = 25 * 60 * 1000)]
    public async Task Nbclient_and_the_runner_give_notebook_01_the_same_outputs()
    {
        DebianPackages.Require(DebianPackage.Nbclient, DebianPackage.Nbformat, DebianPackage.JupyterClient);
        using var workspace = JupyterWorkspace.Create();
        string source = workspace.CopyNotebook(NotebookName);

        var options = new RunOptions
        {
            Parameters = [new NotebookParameter("Quick", "true")],
            Output = OutputMode.Directory,
            OutputDirectory = Path.Combine(workspace.Work, "runner"),
            CellTimeout = CellTimeout,
        };
        var result = (await RunnerHarness.RunAsync(options, source)).Single();
        Assert.True(result.Succeeded, $"the runner: {result.StatusText}: {result.Problem}");
        string byRunner = result.WrittenTo!;

        string byNbclient = Path.Combine(workspace.Work, "nbclient", NotebookName);
        Directory.CreateDirectory(Path.GetDirectoryName(byNbclient)!);
        using (var nbclient = ChildProcess.Start(DebianPackages.Python,
                   [JupyterWorkspace.Script("execute_with_nbclient.py"), byRunner, byNbclient,
                    "--cwd", workspace.Notebooks,
                    "--timeout-cell", ((int)CellTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)],
                   workspace.Notebooks, workspace.Environment))
        {
            bool finished = await nbclient.WaitForExitAsync(NbclientTimeout);
            Assert.True(finished, $"nbclient still ran after {NbclientTimeout.TotalMinutes:0} minutes:\n{nbclient.Tail()}");
            Assert.True(nbclient.ExitCode == 0, $"nbclient failed ({nbclient.ExitCode}):\n{nbclient.Tail()}");
        }
        var leftOver = ChildProcess.KillMentioning(workspace.Root);
        Assert.True(leftOver.Count == 0, "still running after nbclient ended (killed now):\n"
            + string.Join("\n", leftOver.Select(p => $"{p.Pid}: {p.CommandLine}")));

        var runnerCells = Notebook.Load(byRunner).Cells.Where(c => c.IsCode).ToList();
        var nbclientCells = Notebook.Load(byNbclient).Cells.Where(c => c.IsCode).ToList();
        Assert.Equal(runnerCells.Select(c => (c.Id, c.Source)), nbclientCells.Select(c => (c.Id, c.Source)));
        Assert.Contains(runnerCells, c => c.Id == ParameterInjector.InjectedCellId);
        int bootstraps = 0;
        for (int i = 0; i < runnerCells.Count; i++)
        {
            string cell = $"cell {runnerCells[i].Id}";
            Assert.True(runnerCells[i].Json["execution_count"]?.ToJsonString() == nbclientCells[i].Json["execution_count"]?.ToJsonString(),
                $"{cell}: execution_count {runnerCells[i].Json["execution_count"]} (runner) vs {nbclientCells[i].Json["execution_count"]} (nbclient)");
            var expected = Outputs(runnerCells[i]);
            var actual = Outputs(nbclientCells[i]);
            bootstraps += actual.RemoveAll(IsBootstrap);
            actual.RemoveAll(IsCompilerWarning);
            Assert.True(expected.Count == actual.Count,
                $"{cell}: {expected.Count} outputs from the runner ({Kinds(expected)}), {actual.Count} from nbclient ({Kinds(actual)})");
            for (int j = 0; j < expected.Count; j++)
                Assert.True(JsonNode.DeepEquals(expected[j], actual[j]),
                    $"{cell}, output {j + 1}: the runner's and nbclient's differ:\nrunner:   {Clip(expected[j])}\nnbclient: {Clip(actual[j])}");
        }
        Assert.True(bootstraps <= 1, $"the kernel's bootstrap output appeared {bootstraps} times; Jupyter front ends get it once");
        // The 5×5 ⋆ 3×3 example's result, as TorchSharp's formatter shows a tensor in the kernel.
        const string convolutionResult = "[3x3], type = Float32, device = cpu\n 4 3 4\n 2 4 3\n 2 3 4";
        Assert.Contains(runnerCells.SelectMany(Outputs), o => MultilineText.Join(o["data"]?["text/html"]).Contains(convolutionResult));
    }

    /// <summary>A cell's outputs with every multiline string (stream text, text MIME types) joined, so line splitting does not matter.</summary>
    private static List<JsonObject> Outputs(NotebookCell cell) =>
        (cell.Json["outputs"]?.AsArray() ?? []).Select(o =>
        {
            var output = o!.DeepClone().AsObject();
            if (output["text"] is JsonNode text) output["text"] = MultilineText.Join(text);
            if (output["data"] is JsonObject data)
                foreach (var (mime, value) in data.ToList())
                    if (!MimeTypes.IsJson(mime) && MultilineText.IsMultilineText(value)) data[mime] = MultilineText.Join(value);
            return output;
        }).ToList();

    /// <summary>The kernel's bootstrap for Jupyter front ends: a display of HTML alone, holding its script.</summary>
    /// <summary>
    /// A stream output made only of compiler warnings. Over Jupyter's protocol the kernel prints each
    /// cell's warnings as output; over stdio it reports them as diagnostics, which the runner leaves out
    /// of the notebook. Every cell that uses TorchSharp gets CS1701 (TorchSharp 0.107 is built against
    /// .NET 8's System.Runtime.Numerics; the kernel runs on .NET 10), and the kernel offers no way to turn
    /// a warning off for the session (dotnet/interactive#762).
    /// </summary>
    private static bool IsCompilerWarning(JsonObject output) =>
        output["output_type"]?.GetValue<string>() == "stream" &&
        MultilineText.Join(output["text"]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(line => line.StartsWith("warning CS", StringComparison.Ordinal));

    private static bool IsBootstrap(JsonObject output) =>
        output["output_type"]?.GetValue<string>() == "display_data"
        && output["data"] is JsonObject data && data.Count == 1
        && data["text/html"]?.GetValue<string>().Contains(BootstrapMarker, StringComparison.Ordinal) == true;

    private static string Kinds(IEnumerable<JsonObject> outputs) =>
        string.Join(", ", outputs.Select(o => o["output_type"] + (o["data"] is JsonObject d ? " " + string.Join("+", d.Select(p => p.Key)) : "")));

    private static string Clip(JsonNode node)
    {
        string json = node.ToJsonString();
        return json.Length <= 600 ? json : json[..600] + $"… ({json.Length} characters)";
    }
}
