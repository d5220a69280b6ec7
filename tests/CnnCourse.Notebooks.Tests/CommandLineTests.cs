using CnnCourse.Notebooks.Cli;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Run_takes_notebooks_parameters_output_and_time_limits()
    {
        var command = Assert.IsType<RunCommand>(CommandLine.Parse(
            ["run", "a.ipynb", "-p", "Epochs", "2", "b.ipynb", "-p", "Device", "cuda:0", "--output", "out", "--timeout-cell", "90", "--timeout", "0"]));
        Assert.Equal(["a.ipynb", "b.ipynb"], command.Notebooks);
        Assert.Equal(["Epochs=2", "Device=cuda:0"], command.Options.Parameters.Select(p => $"{p.Name}={p.Value}"));
        Assert.Equal(OutputMode.Directory, command.Options.Output);
        Assert.Equal("out", command.Options.OutputDirectory);
        Assert.Equal(TimeSpan.FromSeconds(90), command.Options.CellTimeout);
        Assert.Null(command.Options.NotebookTimeout);
    }

    [Fact]
    public void By_default_a_run_writes_nothing_and_limits_cells_to_half_an_hour()
    {
        var command = Assert.IsType<RunCommand>(CommandLine.Parse(["run", "a.ipynb"]));
        Assert.Equal(OutputMode.None, command.Options.Output);
        Assert.Equal(TimeSpan.FromMinutes(30), command.Options.CellTimeout);
        Assert.Equal(OutputMode.InPlace, Assert.IsType<RunCommand>(CommandLine.Parse(["run", "a.ipynb", "--in-place"])).Options.Output);
    }

    [Fact]
    public void A_folder_stands_for_its_notebooks_in_name_order()
    {
        foreach (string name in new[] { "02-b.ipynb", "01-a.ipynb", "notes.txt" }) File.WriteAllText(dir.File(name), "");
        var command = Assert.IsType<CheckOutputsCommand>(CommandLine.Parse(["check-outputs", dir.Path]));
        Assert.Equal(["01-a.ipynb", "02-b.ipynb"], command.Notebooks.Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("unknown command 'bogus'", "bogus")]
    [InlineData("--output and --in-place exclude each other", "run", "a.ipynb", "--output", "out", "--in-place")]
    [InlineData("-p needs NAME VALUE", "run", "a.ipynb", "-p", "Epochs")]
    [InlineData("-p 2nd: a parameter name must be a C# identifier (like Epochs)", "run", "-p", "2nd", "1")]
    [InlineData("--timeout-cell soon: expected a number of seconds", "run", "--timeout-cell", "soon")]
    [InlineData("unknown option '--fast'", "run", "--fast")]
    [InlineData("--output out: two notebooks are named x.ipynb", "run", "a/x.ipynb", "b/x.ipynb", "--output", "out")]
    public void Bad_command_lines_are_refused_with_a_reason(string message, params string[] args) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => CommandLine.Parse(args)).Message);

    [Fact]
    public void The_executable_exits_2_on_bad_usage_and_0_on_help_or_an_empty_folder()
    {
        var usage = RunnerHarness.RunCli(dir.Path, "run", "--fast");
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("error: unknown option '--fast'\nusage:", usage.Stderr);

        var help = RunnerHarness.RunCli(dir.Path, "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("usage:", help.Stdout);

        Directory.CreateDirectory(dir.File("empty/"));
        var empty = RunnerHarness.RunCli(dir.Path, "run", "empty");
        Assert.Equal((0, "no notebooks to run\n"), (empty.ExitCode, empty.Stdout));
    }

    [Fact]
    public void An_unknown_parameter_fails_the_notebook_naming_its_parameters_and_writes_nothing()
    {
        string path = new NotebookBuilder().Parameters("var Quick = false;\nvar Epochs = 5;").Code("Epochs").Write(dir.File("notebooks/01-lesson.ipynb"));
        string before = File.ReadAllText(path);

        var (exitCode, stdout, _) = RunnerHarness.RunCli(dir.Path, "run", "notebooks/01-lesson.ipynb", "-p", "Epoch", "2", "--in-place");

        Assert.Equal(1, exitCode);
        Assert.Contains($"{Path.Combine("notebooks", "01-lesson.ipynb")}: the parameters cell declares no 'Epoch'; its parameters are Quick, Epochs", stdout);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void The_executable_runs_a_folder_reports_progress_and_a_table_and_fails_if_one_notebook_fails()
    {
        new NotebookBuilder().Parameters("var Quick = false;").Code("Console.WriteLine(Quick ? \"quick\" : \"full\");")
            .Write(dir.File("notebooks/01-ok.ipynb"));
        new NotebookBuilder().Parameters("var Quick = false;").Code("throw new Exception(\"broken lesson\");").Write(dir.File("notebooks/02-broken.ipynb"));

        var (exitCode, stdout, stderr) = RunnerHarness.RunCli(dir.Path, "run", "notebooks", "-p", "Quick", "true", "--output", "out");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stderr);
        string ok = Path.Combine("notebooks", "01-ok.ipynb"), broken = Path.Combine("notebooks", "02-broken.ipynb");
        // Not a terminal: plain lines, one per cell, then one per notebook.
        // The injected-parameters cell is not counted: the notebook's own two code cells are.
        Assert.Contains($"[1/2] {ok}: starting\n[1/2] {ok}: cell 1/2 (", stdout);
        Assert.Contains($"[1/2] {ok}: cell 2/2 (", stdout);
        Assert.DoesNotContain("cell 3/", stdout);
        Assert.Matches($@"\[1/2\] {Regex(ok)}: passed in \d+\.\d s\n", stdout);
        Assert.Matches($@"\[2/2\] {Regex(broken)}: failed in \d+\.\d s: cell 2 \(code cell 2\): System.Exception: broken lesson\n", stdout);
        Assert.Matches(@"\n2 notebooks: 1 passed, 1 did not \(\d+\.\d s\)\n", stdout);
        Assert.Contains("\"quick\\n\"", File.ReadAllText(dir.File("out/01-ok.ipynb")));
        Assert.True(File.Exists(dir.File("out/02-broken.ipynb")));
        Nbformat.AssertValid(dir.File("out/01-ok.ipynb"), dir.File("out/02-broken.ipynb"));
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    [Fact]
    public async Task Interrupting_a_run_stops_the_notebook_and_leaves_the_file_as_it_was()
    {
        string path = new NotebookBuilder().Code("Console.WriteLine(\"started\");").Code("while (true) { }").Write(dir.File("spin.ipynb"));
        string original = File.ReadAllText(path);
        // A process started in the background by a non-interactive shell (CI, nohup) inherits SIGINT as
        // ignored, and .NET then leaves it ignored; env restores the default a terminal's Ctrl+C meets.
        var start = new System.Diagnostics.ProcessStartInfo("env",
            ["--default-signal=INT", "dotnet", typeof(NotebookRunner).Assembly.Location, "run", "spin.ipynb", "--in-place"])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
        };
        using var runner = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        try
        {
            // A kernel starts in seconds, but in a minute or more on a busy machine.
            using var started = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            string? line;
            while ((line = await runner.StandardOutput.ReadLineAsync(started.Token)) is not null)
            {
                output.AppendLine(line);
                if (line.Contains("cell 2/2")) break;
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            Assert.Equal(0, kill(runner.Id, SigInt));
            output.Append(await runner.StandardOutput.ReadToEndAsync(timeout.Token));
            await runner.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the runner did not reach the spinning cell within 5 minutes, or did not stop within 2 minutes of SIGINT; its output:\n{output}");
        }
        finally
        {
            if (!runner.HasExited) runner.Kill(entireProcessTree: true);
        }

        Assert.Equal(130, runner.ExitCode);
        Assert.Contains("spin.ipynb: interrupted in", output.ToString());
        Assert.Contains("spin.ipynb: interrupted: its process was stopped and the notebook was not written", output.ToString());
        Assert.Equal(original, File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
