using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// One run of several notebooks through the real runner (a child process each), shared by the tests
/// below: a notebook using a library and rich display, one that fails, one whose process dies, one
/// that hangs, and one after them all that must still run.
/// </summary>
public sealed class RunnerFixture : IAsyncLifetime
{
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Enough for the process to start and run the first cell even on a busy machine.</summary>
    public static readonly TimeSpan NotebookTimeout = TimeSpan.FromSeconds(12);

    public string Directory { get; } = FixtureLibraries.NewNotebookDirectory();

    public string Output => Path.Combine(Directory, "out");

    internal IReadOnlyList<NotebookResult> Results { get; private set; } = [];

    internal NotebookResult Hang { get; private set; } = null!;

    /// <summary>The hanging notebook again, without a cell limit but with a limit on the whole notebook.</summary>
    internal NotebookResult HangWhole { get; private set; } = null!;

    public string Source(string name) => Path.Combine(Directory, name);

    public string Written(string name) => Path.Combine(Output, name);

    public async Task InitializeAsync()
    {
        File.WriteAllText(Source("data.txt"), "read from the notebook's folder");
        new NotebookBuilder()
            .Markdown("# Features")
            .Parameters("var Quick = false;")
            .Code("#r \"../lib/Fixture.Charts.dll\"\nusing Fixture.Charts;\nConsole.WriteLine(System.IO.File.ReadAllText(\"data.txt\"));")
            .Code("var status = display(\"epoch 1/2\");\nConsole.Error.WriteLine(\"a warning\");\nnew LineChart(\"Loss\")")
            .Code("status.Update(\"epoch 2/2\");\ndisplay(new Image(new byte[] { 1, 2, 3 }));")
            .Write(Source("features.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"first\");")
            .Code("var values = new List<int>();\nvar top = values.First();")
            .Code("Console.WriteLine(\"never\");")
            .Write(Source("failing.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"alive\");")
            .Code("Console.WriteLine(\"about to die\");\nEnvironment.FailFast(\"fatal in notebook\");")
            .Code("Console.WriteLine(\"never\");")
            .Write(Source("crash.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"started\");")
            .Code("Console.WriteLine(\"spinning\");\nwhile (true) { }")
            .Code("Console.WriteLine(\"never\");")
            .Write(Source("hang.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"still runs\");")
            .Write(Source("after.ipynb"));

        var options = new RunOptions { Kernel = KernelKind.Roslyn, Output = OutputMode.Directory, OutputDirectory = Output, CellTimeout = TimeSpan.FromMinutes(2) };
        Results = await RunnerHarness.RunAsync(options,
            Source("features.ipynb"), Source("failing.ipynb"), Source("crash.ipynb"), Source("after.ipynb"));
        Hang = (await RunnerHarness.RunAsync(options with { CellTimeout = HangTimeout }, Source("hang.ipynb"))).Single();
        File.Copy(Source("hang.ipynb"), Source("hang-whole.ipynb"));
        HangWhole = (await RunnerHarness.RunAsync(options with { CellTimeout = null, NotebookTimeout = NotebookTimeout }, Source("hang-whole.ipynb"))).Single();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class RunnerTests(RunnerFixture run) : IClassFixture<RunnerFixture>
{
    private static JsonArray Outputs(string path, int cell) => Notebook.Load(path).Cells[cell].Json["outputs"]!.AsArray();

    private static string Json(JsonNode node) => NotebookJson.Serialize(node).TrimEnd('\n');

    [Fact]
    public void Every_notebook_runs_even_when_an_earlier_one_failed_or_died()
    {
        Assert.Equal(
            [NotebookStatus.Passed, NotebookStatus.Failed, NotebookStatus.Crashed, NotebookStatus.Passed],
            run.Results.Select(r => r.Status));
        Assert.Equal(NotebookStatus.TimedOut, run.Hang.Status);
    }

    [Fact]
    public void Written_notebooks_validate_with_nbformat_and_keep_their_polyglot_metadata()
    {
        string[] names = ["features.ipynb", "failing.ipynb", "crash.ipynb", "after.ipynb", "hang.ipynb"];
        Nbformat.AssertValid(names.Select(run.Written).ToArray());
        var notebook = Notebook.Load(run.Written("features.ipynb"));
        Assert.Equal(".net-csharp", notebook.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", notebook.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.All(notebook.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.KernelName));
        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], notebook.Cells.Select(c => c.Id));
    }

    [Fact]
    public void A_notebook_runs_in_its_folder_with_rich_display_and_updates_in_place()
    {
        Assert.Equal("""
            [
             {
              "name": "stdout",
              "output_type": "stream",
              "text": [
               "read from the notebook's folder\n"
              ]
             }
            ]
            """, Json(Outputs(run.Written("features.ipynb"), 2)));
        var chartCell = Outputs(run.Written("features.ipynb"), 3);
        Assert.Equal(3, chartCell.Count);
        Assert.Equal("""
            {
             "data": {
              "text/plain": [
               "epoch 2/2"
              ]
             },
             "metadata": {},
             "output_type": "display_data"
            }
            """, Json(chartCell[0]!));
        Assert.Equal("""
            {
             "name": "stderr",
             "output_type": "stream",
             "text": [
              "a warning\n"
             ]
            }
            """, Json(chartCell[1]!));
        Assert.Equal(FixtureLibraries.LossChartOutput, Json(chartCell[2]!));
        Assert.Equal("""
            [
             {
              "data": {
               "image/png": "AQID",
               "text/plain": [
                "Image of 3 bytes"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, Json(Outputs(run.Written("features.ipynb"), 4)));
    }

    [Fact]
    public void Executed_cells_get_counts_and_start_and_end_times()
    {
        var cells = Notebook.Load(run.Written("features.ipynb")).Cells;
        Assert.Equal([null, 1, 2, 3, 4], cells.Select(c => c.Json["execution_count"]?.GetValue<int>()));
        foreach (var cell in cells.Skip(1))
        {
            var execution = cell.Metadata["execution"]!;
            var start = DateTimeOffset.Parse(execution["iopub.execute_input"]!.GetValue<string>());
            var end = DateTimeOffset.Parse(execution["shell.execute_reply"]!.GetValue<string>());
            Assert.InRange(end - start, TimeSpan.Zero, TimeSpan.FromMinutes(1));
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", execution["iopub.execute_input"]!.GetValue<string>());
        }
        Assert.False(cells[0].Json.ContainsKey("execution_count"));
        Assert.False(cells[0].Json.ContainsKey("outputs"));
    }

    [Fact]
    public void A_notebook_stops_at_its_first_failing_cell_with_the_error_recorded_there()
    {
        var result = run.Results[1];
        Assert.Equal("cell 2 (code cell 2), line 2: `var top = values.First();`: System.InvalidOperationException: Sequence contains no elements",
            result.Failure!.Describe());
        var cells = Notebook.Load(run.Written("failing.ipynb")).Cells;
        var error = cells[1].Json["outputs"]![0]!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("Sequence contains no elements", error["evalue"]!.GetValue<string>());
        Assert.Contains("in failing.ipynb#cell2:line 2", error["traceback"]!.ToJsonString());
        Assert.Equal(2, cells[1].Json["execution_count"]!.GetValue<int>());
        // The cell after it did not run: no outputs, no count, no times.
        Assert.Empty(cells[2].Json["outputs"]!.AsArray());
        Assert.Null(cells[2].Json["execution_count"]);
        Assert.False(cells[2].Metadata.ContainsKey("execution"));
    }

    [Fact]
    public void A_process_that_dies_is_recorded_in_the_cell_it_was_running()
    {
        var result = run.Results[2];
        Assert.Equal(1, result.Failure!.CellPosition);
        Assert.Equal("KernelDiedError", result.Failure.Error.Name);
        Assert.Equal("the notebook's process exited with code 134 (aborted: SIGABRT, e.g. Environment.FailFast or a native abort) while cell 2 (code cell 2) was running: fatal in notebook",
            result.Failure.Error.Value);
        // The runtime's own last words follow: the reason, then the innermost frames.
        Assert.Equal(["Process terminated.", "fatal in notebook"], result.Failure.Error.Traceback.Skip(1).Take(2));
        Assert.Contains(result.Failure.Error.Traceback, line => line.Contains("at System.Environment.FailFast"));
        var outputs = Outputs(run.Written("crash.ipynb"), 1);
        Assert.Equal("about to die\n", MultilineText.Join(outputs[0]!["text"]));
        Assert.Equal(2, Notebook.Load(run.Written("crash.ipynb")).Cells[1].Json["execution_count"]!.GetValue<int>());
        Assert.Equal("KernelDiedError", outputs[1]!["ename"]!.GetValue<string>());
        Assert.Empty(Outputs(run.Written("crash.ipynb"), 2));
    }

    [Fact]
    public void A_cell_past_its_timeout_is_stopped_and_named()
    {
        Assert.Equal(
            "cell 2 (code cell 2): TimeoutError: cell 2 (code cell 2) did not finish within the cell time limit of 4.0 s (--timeout-cell); its process was stopped",
            run.Hang.Failure!.Describe());
        Assert.InRange(run.Hang.Elapsed, RunnerFixture.HangTimeout, RunnerFixture.HangTimeout + TimeSpan.FromSeconds(30));
        var outputs = Outputs(run.Written("hang.ipynb"), 1);
        Assert.Equal("spinning\n", MultilineText.Join(outputs[0]!["text"]));
        Assert.Equal("TimeoutError", outputs[1]!["ename"]!.GetValue<string>());
        Assert.Empty(Outputs(run.Written("hang.ipynb"), 2));
    }

    [Fact]
    public void A_notebook_past_its_overall_timeout_is_stopped()
    {
        var result = run.HangWhole;
        Assert.Equal(NotebookStatus.TimedOut, result.Status);
        Assert.InRange(result.Elapsed, RunnerFixture.NotebookTimeout, RunnerFixture.NotebookTimeout + TimeSpan.FromSeconds(30));
        // Normally in the hanging cell; on a machine so busy that the process had not reached it, between cells.
        Assert.Contains("did not finish within the notebook's time limit of 12.0 s (--timeout); its process was stopped", result.Problem);
        if (result.Failure is not null) Assert.StartsWith("cell 2 (code cell 2): TimeoutError: cell 2 (code cell 2) did not finish", result.Failure.Describe());
    }

    [Fact]
    public void The_closing_report_lists_every_notebook_and_what_went_wrong()
    {
        string report = RunReport.Format([.. run.Results, run.Hang]);
        string[] lines = report.Split('\n');
        Assert.Matches(@"^notebook\s+result\s+time$", lines[0]);
        Assert.Matches(@"features\.ipynb\s+passed\s+\d+\.\d s$", lines[1]);
        Assert.Matches(@"failing\.ipynb\s+failed\s+\d+\.\d s$", lines[2]);
        Assert.Matches(@"crash\.ipynb\s+crashed\s+\d+\.\d s$", lines[3]);
        Assert.Matches(@"after\.ipynb\s+passed\s+\d+\.\d s$", lines[4]);
        Assert.Matches(@"hang\.ipynb\s+timed out\s+\d+\.\d s$", lines[5]);
        Assert.Matches(@"^5 notebooks: 2 passed, 3 did not \(\d+\.\d s\)$", lines[6]);
        Assert.Contains($"{run.Source("failing.ipynb")}: cell 2 (code cell 2), line 2: `var top = values.First();`: System.InvalidOperationException: Sequence contains no elements", report);
    }
}
