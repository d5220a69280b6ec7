using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// One run of several notebooks through the real .NET Interactive kernel (the pinned tool, a fresh
/// process per notebook, driven over its stdio protocol), shared by the tests below.
/// </summary>
public sealed class InteractiveKernelFixture : IAsyncLifetime
{
    /// <summary>Long enough for a busy machine to compile and start the cell (its first output must arrive).</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(30);

    public string Directory { get; } = FixtureLibraries.NewNotebookDirectory();

    public string Output => Path.Combine(Directory, "out");

    internal IReadOnlyList<NotebookResult> Results { get; private set; } = [];

    internal NotebookResult Hang { get; private set; } = null!;

    /// <summary>The hanging notebook again, without a cell limit but with a limit on the whole notebook.</summary>
    internal NotebookResult HangWhole { get; private set; } = null!;

    /// <summary>Enough for the kernel to start and run the first cell even on a busy machine.</summary>
    public static readonly TimeSpan NotebookTimeout = TimeSpan.FromSeconds(90);

    public string Source(string name) => Path.Combine(Directory, name);

    public string Written(string name) => Path.Combine(Output, name);

    internal static RunOptions Options(string output) => new()
    {
        Output = OutputMode.Directory,
        OutputDirectory = output,
        CellTimeout = TimeSpan.FromMinutes(2),
    };

    public async Task InitializeAsync()
    {
        File.WriteAllText(Source("data.txt"), "read from the notebook's folder");
        new NotebookBuilder()
            .Markdown("# Features")
            .Parameters("var Quick = false;")
            .Code("#r \"../lib/Fixture.Charts.dll\"\nusing Fixture.Charts;\nvar x = 41;\nConsole.WriteLine(System.IO.File.ReadAllText(\"data.txt\"));")
            .Code("var status = display(\"epoch 1/2\");\nConsole.Error.WriteLine(\"a warning\");\nstatus.Update(\"epoch 2/2\");\nQuick ? x + 1 : 0")
            .Code("status.Update(\"epoch 3/3\");\ndisplay(new LineChart(\"Loss\"));\ndisplay(new Image(new byte[] { 1, 2, 3 }));")
            .Write(Source("features.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"first\");")
            .Code("var a = 1;\nint y = \"text\";")
            .Code("Console.WriteLine(\"never\");")
            .Write(Source("compile.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"first\");")
            .Code("var values = new List<int>();\nvar top = values.First();")
            .Code("Console.WriteLine(\"never\");")
            .Write(Source("runtime.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"alive\");")
            .Code("Console.WriteLine(\"about to die\");\nEnvironment.FailFast(\"fatal in notebook\");")
            .Code("Console.WriteLine(\"never\");")
            .Write(Source("crash.ipynb"));
        new NotebookBuilder()
            .Code("Console.WriteLine(\"still runs\");")
            .Write(Source("after.ipynb"));
        // The first cell warms the kernel's compiler up, so the hanging cell's time goes to the hang.
        new NotebookBuilder()
            .Code("Console.WriteLine(\"started\");")
            .Code("Console.WriteLine(\"spinning\");\nwhile (true) { }")
            .Code("Console.WriteLine(\"never\");")
            .Write(Source("hang.ipynb"));

        var withParameters = await RunnerHarness.RunAsync(Options(Output) with { Parameters = [new("Quick", "true")] }, Source("features.ipynb"));
        var others = await RunnerHarness.RunAsync(Options(Output),
            Source("compile.ipynb"), Source("runtime.ipynb"), Source("crash.ipynb"), Source("after.ipynb"));
        Results = [.. withParameters, .. others];
        Hang = (await RunnerHarness.RunAsync(Options(Output) with { CellTimeout = HangTimeout }, Source("hang.ipynb"))).Single();
        File.Copy(Source("hang.ipynb"), Source("hang-whole.ipynb"));
        HangWhole = (await RunnerHarness.RunAsync(Options(Output) with { CellTimeout = null, NotebookTimeout = NotebookTimeout },
            Source("hang-whole.ipynb"))).Single();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class InteractiveKernelTests(InteractiveKernelFixture run) : IClassFixture<InteractiveKernelFixture>
{
    private static JsonArray Outputs(string path, int cell) => Notebook.Load(path).Cells[cell].Json["outputs"]!.AsArray();

    private static string Json(JsonNode node) => NotebookJson.Serialize(node).TrimEnd('\n');

    [Fact]
    public void Every_notebook_runs_even_when_an_earlier_one_failed_or_its_kernel_died()
    {
        Assert.Equal(
            [NotebookStatus.Passed, NotebookStatus.Failed, NotebookStatus.Failed, NotebookStatus.Crashed, NotebookStatus.Passed],
            run.Results.Select(r => r.Status));
        Assert.Equal("still runs\n", MultilineText.Join(Outputs(run.Written("after.ipynb"), 0)[0]!["text"]));
        string[] names = ["features.ipynb", "compile.ipynb", "runtime.ipynb", "crash.ipynb", "after.ipynb", "hang.ipynb"];
        Nbformat.AssertValid(names.Select(run.Written).ToArray());
    }

    [Fact]
    public void Written_notebooks_keep_their_polyglot_metadata_and_cell_ids()
    {
        var notebook = Notebook.Load(run.Written("features.ipynb"));
        Assert.Equal(".net-csharp", notebook.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", notebook.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.All(notebook.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.KernelName));
    }

    [Fact]
    public void Executed_cells_get_start_and_end_times()
    {
        var cells = Notebook.Load(run.Written("features.ipynb")).Cells;
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
    public void State_carries_across_cells_and_the_injected_parameters_override_the_defaults()
    {
        var cells = Notebook.Load(run.Written("features.ipynb")).Cells;
        Assert.Equal(["c1", "c2", "injected-parameters", "c3", "c4", "c5"], cells.Select(c => c.Id));
        // x (cell c3) + 1, and Quick true from the injected cell: the kernel's own HTML for a number.
        var result = Outputs(run.Written("features.ipynb"), 4).Single(o => o!["output_type"]!.GetValue<string>() == "execute_result")!;
        Assert.StartsWith("<div class=\"dni-plaintext\"><pre>42</pre></div>", MultilineText.Join(result["data"]!["text/html"]));
        Assert.Equal(4, result["execution_count"]!.GetValue<int>());
        Assert.Equal([null, 1, 2, 3, 4, 5], cells.Select(c => c.Json["execution_count"]?.GetValue<int>()));
    }

    [Fact]
    public void A_dll_is_referenced_relative_to_the_notebook_which_runs_in_its_folder()
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
            """, Json(Outputs(run.Written("features.ipynb"), 3)));
    }

    [Fact]
    public void A_display_and_its_updates_and_the_formatter_convention_render_as_the_kernel_gives_them()
    {
        var cell = Outputs(run.Written("features.ipynb"), 4);
        Assert.Equal(["display_data", "stream", "display_data", "execute_result"], cell.Select(o => o!["output_type"]!.GetValue<string>()));
        Assert.Equal("epoch 1/2", MultilineText.Join(cell[0]!["data"]!["text/plain"]));
        Assert.Equal("a warning\n", MultilineText.Join(cell[1]!["text"]));
        // The kernel gives a display's updates an id of their own (not the display's), so the first
        // update shows as a new output, and later ones (from any cell) replace that one.
        Assert.Equal("""
            {
             "data": {
              "text/plain": [
               "epoch 3/3"
              ]
             },
             "metadata": {},
             "output_type": "display_data"
            }
            """, Json(cell[2]!));
        // Types whose own TypeFormatterSourceAttribute names their formatters, found by the kernel by name.
        var displays = Outputs(run.Written("features.ipynb"), 5);
        Assert.Equal(2, displays.Count);
        Assert.Equal(FixtureLibraries.LossChartOutput, Json(displays[0]!));
        // Without PreferredMimeTypes the kernel shows its default MIME type (text/html), and the
        // source has no HTML formatter: the kernel's own object tree, not the PNG. (The course's
        // display types all name their preferred MIME types.)
        Assert.Equal(["text/html"], displays[1]!["data"]!.AsObject().Select(p => p.Key));
        Assert.StartsWith("<details open=\"open\" class=\"dni-treeview\"><summary><span class=\"dni-code-hint\"><code>Fixture.Charts.Image</code>",
            MultilineText.Join(displays[1]!["data"]!["text/html"]));
    }

    [Fact]
    public void A_compile_error_stops_the_notebook_naming_the_cell_line_and_error()
    {
        var result = run.Results[1];
        Assert.Equal("cell 2 (code cell 2), line 2: `int y = \"text\";`: CompilationError: " +
            "(2,9): error CS0029: Cannot implicitly convert type 'string' to 'int'",
            result.Failure!.Describe());
        var cells = Notebook.Load(run.Written("compile.ipynb")).Cells;
        Assert.Equal("""
            {
             "ename": "CompilationError",
             "evalue": "(2,9): error CS0029: Cannot implicitly convert type 'string' to 'int'",
             "output_type": "error",
             "traceback": [
              "(2,9): error CS0029: Cannot implicitly convert type 'string' to 'int'"
             ]
            }
            """, Json(cells[1].Json["outputs"]![0]!));
        Assert.Empty(cells[2].Json["outputs"]!.AsArray());
        Assert.Null(cells[2].Json["execution_count"]);
    }

    [Fact]
    public void A_runtime_error_stops_the_notebook_with_the_exception_type_and_message()
    {
        var result = run.Results[2];
        Assert.Equal("cell 2 (code cell 2): System.InvalidOperationException: Sequence contains no elements", result.Failure!.Describe());
        var cells = Notebook.Load(run.Written("runtime.ipynb")).Cells;
        var error = cells[1].Json["outputs"]![0]!;
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("Sequence contains no elements", error["evalue"]!.GetValue<string>());
        var traceback = error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Equal("System.InvalidOperationException: Sequence contains no elements", traceback[0]);
        Assert.Contains(traceback, l => l.Contains("at System.Linq.Enumerable.First"));
        Assert.DoesNotContain(traceback, l => l.Contains("Microsoft.CodeAnalysis.Scripting"));
        Assert.Empty(cells[2].Json["outputs"]!.AsArray());
    }

    [Fact]
    public void A_kernel_that_dies_fails_only_its_notebook_in_the_cell_it_was_running()
    {
        var result = run.Results[3];
        Assert.Equal(1, result.Failure!.CellPosition);
        Assert.Equal("KernelDiedError", result.Failure.Error.Name);
        Assert.Equal("the notebook's process exited with code 134 (aborted: SIGABRT, e.g. Environment.FailFast " +
            "or a native abort) while cell 2 (code cell 2) was running: fatal in notebook",
            result.Failure.Error.Value);
        Assert.Contains(result.Failure.Error.Traceback, line => line.Contains("at System.Environment.FailFast"));
        var outputs = Outputs(run.Written("crash.ipynb"), 1);
        Assert.Equal("about to die\n", MultilineText.Join(outputs[0]!["text"]));
        Assert.Equal("KernelDiedError", outputs[1]!["ename"]!.GetValue<string>());
        Assert.Empty(Outputs(run.Written("crash.ipynb"), 2));
    }

    [Fact]
    public void A_cell_past_its_timeout_is_stopped_by_killing_the_kernel()
    {
        Assert.Equal(NotebookStatus.TimedOut, run.Hang.Status);
        Assert.Equal(
            "cell 2 (code cell 2): TimeoutError: cell 2 (code cell 2) did not finish within " +
                "the cell time limit of 30.0 s (--timeout-cell); its process was stopped",
            run.Hang.Failure!.Describe());
        var outputs = Outputs(run.Written("hang.ipynb"), 1);
        Assert.Equal("spinning\n", MultilineText.Join(outputs[0]!["text"]));
        Assert.Equal("TimeoutError", outputs[1]!["ename"]!.GetValue<string>());
        // Killed with its whole tree: no kernel of this notebook's folder is left.
        Assert.Empty(KernelsWorkingIn(run.Directory));
    }

    [Fact]
    public void A_notebook_past_its_overall_timeout_is_stopped()
    {
        var result = run.HangWhole;
        Assert.Equal(NotebookStatus.TimedOut, result.Status);
        Assert.InRange(result.Elapsed, InteractiveKernelFixture.NotebookTimeout, InteractiveKernelFixture.NotebookTimeout + TimeSpan.FromSeconds(30));
        // Normally in the hanging cell; on a machine so busy that the kernel had not reached it, between cells.
        Assert.Contains("did not finish within the notebook's time limit of 90.0 s (--timeout); its process was stopped", result.Problem);
        if (result.Failure is not null) Assert.Matches(@"^cell ([12]) \(code cell \1\): TimeoutError: cell \1 \(code cell \1\) did not finish",
            result.Failure.Describe());
    }

    [Fact]
    public void The_closing_report_lists_every_notebook_and_what_went_wrong()
    {
        string report = RunReport.Format([.. run.Results, run.Hang]);
        string[] lines = report.Split('\n');
        Assert.Matches(@"^notebook\s+result\s+time$", lines[0]);
        Assert.Matches(@"features\.ipynb\s+passed\s+\d+\.\d s$", lines[1]);
        Assert.Matches(@"compile\.ipynb\s+failed\s+\d+\.\d s$", lines[2]);
        Assert.Matches(@"runtime\.ipynb\s+failed\s+\d+\.\d s$", lines[3]);
        Assert.Matches(@"crash\.ipynb\s+crashed\s+\d+\.\d s$", lines[4]);
        Assert.Matches(@"after\.ipynb\s+passed\s+\d+\.\d s$", lines[5]);
        Assert.Matches(@"hang\.ipynb\s+timed out\s+\d+\.\d s$", lines[6]);
        Assert.Matches(@"^6 notebooks: 2 passed, 4 did not \(\d+\.\d s\)$", lines[7]);
        Assert.Contains($"{run.Source("runtime.ipynb")}: cell 2 (code cell 2): System.InvalidOperationException: Sequence contains no elements", report);
    }

    /// <summary>Processes started for notebooks in <paramref name="directory"/> (the kernel host names it with --working-dir).</summary>
    internal static IReadOnlyList<int> KernelsWorkingIn(string directory) =>
        System.IO.Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(directory);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .Select(pid => int.Parse(pid!))
            .ToList();
}

/// <summary>What the kernel listens on: nothing outside loopback, headless or in Jupyter.</summary>
public sealed class KernelNetworkTests
{
    [Fact]
    public async Task While_a_notebook_runs_its_kernel_listens_on_no_address_but_loopback()
    {
        string directory = FixtureLibraries.NewNotebookDirectory();
        string marker = Path.Combine(directory, "running");
        string notebook = new NotebookBuilder()
            .Code($"System.IO.File.WriteAllText(\"running\", \"\");\nSystem.Threading.Thread.Sleep(20_000);")
            .Write(Path.Combine(directory, "listen.ipynb"));
        var running = RunnerHarness.RunAsync(InteractiveKernelFixture.Options(Path.Combine(directory, "out")), notebook);

        var clock = Stopwatch.StartNew();
        while (!File.Exists(marker) && clock.Elapsed < TimeSpan.FromMinutes(2) && !running.IsCompleted) await Task.Delay(200);
        Assert.True(File.Exists(marker), "the notebook's cell never ran");
        var kernels = InteractiveKernelTests.KernelsWorkingIn(directory);
        Assert.NotEmpty(kernels);
        var tree = kernels.SelectMany(ListeningSockets.ProcessTree).Distinct().ToList();
        Assert.True(tree.Count >= 2, $"expected the tool host and the kernel, found processes {string.Join(", ", tree)}");
        var listening = kernels.SelectMany(ListeningSockets.Of).ToList();
        Assert.All(listening, endPoint => Assert.True(IPAddress.IsLoopback(endPoint.Address), $"the kernel listens on {endPoint}"));

        Assert.Equal(NotebookStatus.Passed, (await running).Single().Status);
    }

    /// <summary>
    /// The course kernelspec's command line, started as Jupyter starts it (a connection file on
    /// 127.0.0.1): it listens (ZeroMQ's five ports and the kernel's HTTP API), on loopback only.
    /// </summary>
    [Fact]
    public async Task The_course_kernelspec_starts_a_kernel_listening_on_loopback_only()
    {
        using var temp = new TempDirectory();
        string root = CourseNotebooks.RepositoryRoot;
        var write = Process.Start(new ProcessStartInfo(Path.Combine(root, "course"), ["kernelspec", "--dir", temp.Path]) { RedirectStandardError = true })!;
        string said = await write.StandardError.ReadToEndAsync();
        await write.WaitForExitAsync();
        Assert.True(write.ExitCode == 0, said);
        var argv = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Path, "kernel.json")))!["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("--http-local-only", argv);

        int[] ports = [.. Enumerable.Range(0, 5).Select(_ => FreePort())];
        string connection = temp.File("connection.json");
        File.WriteAllText(connection, new JsonObject
        {
            ["ip"] = "127.0.0.1", ["transport"] = "tcp", ["key"] = "test", ["signature_scheme"] = "hmac-sha256",
            ["shell_port"] = ports[0], ["iopub_port"] = ports[1], ["stdin_port"] = ports[2], ["control_port"] = ports[3], ["hb_port"] = ports[4],
        }.ToJsonString());
        // Jupyter starts a kernel in the notebook's folder; the notebooks' folder is inside the repository.
        var start = new ProcessStartInfo(argv[0], argv.Skip(1).Select(a => a == "{connection_file}" ? connection : a))
        {
            WorkingDirectory = Path.Combine(root, "notebooks"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        using var kernel = Process.Start(start)!;
        kernel.BeginOutputReadLine();
        kernel.BeginErrorReadLine();
        try
        {
            // Wait until the kernel's own HTTP API listens too (a port beyond the five given).
            var clock = Stopwatch.StartNew();
            IReadOnlyList<IPEndPoint> listening = [];
            while (clock.Elapsed < TimeSpan.FromMinutes(2) && !kernel.HasExited)
            {
                listening = ListeningSockets.Of(kernel.Id);
                if (listening.Any(e => !ports.Contains(e.Port)) && ports.All(p => listening.Any(e => e.Port == p))) break;
                await Task.Delay(300);
            }
            Assert.False(kernel.HasExited, $"the kernel exited with code {(kernel.HasExited ? kernel.ExitCode : 0)}");
            Assert.All(ports, p => Assert.Contains(listening, e => e.Port == p));
            Assert.Contains(listening, e => !ports.Contains(e.Port));
            Assert.All(listening, endPoint => Assert.True(IPAddress.IsLoopback(endPoint.Address), $"the kernel listens on {endPoint}"));
        }
        finally
        {
            kernel.Kill(entireProcessTree: true);
            await kernel.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
