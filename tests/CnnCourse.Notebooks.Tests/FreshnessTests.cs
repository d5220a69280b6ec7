using CnnCourse.Notebooks.Freshness;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>The stamp the runner leaves, and the check that committed outputs still come from the code.</summary>
public sealed class FreshnessTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static Notebook Parse(NotebookBuilder builder) => Notebook.Parse("x.ipynb", NotebookJson.Serialize(builder.ToJson()));

    [Fact]
    public void The_code_hash_follows_code_cells_only()
    {
        string hash = ExecutionStamp.CodeHash(Parse(new NotebookBuilder().Markdown("# A").Parameters("var Quick = false;").Code("Quick")));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, ExecutionStamp.CodeHash(Parse(new NotebookBuilder().Markdown("# Changed prose").Parameters("var Quick = false;").Code("Quick"))));
        Assert.NotEqual(hash, ExecutionStamp.CodeHash(Parse(new NotebookBuilder().Markdown("# A").Parameters("var Quick = true;").Code("Quick"))));

        var injected = Parse(new NotebookBuilder().Markdown("# A").Parameters("var Quick = false;").Code("Quick"));
        ParameterInjector.Inject(injected, [new NotebookParameter("Quick", "true")]);
        Assert.Equal(hash, ExecutionStamp.CodeHash(injected));
    }

    [Fact]
    public void The_code_hash_follows_the_files_a_cell_loads()
    {
        File.WriteAllText(dir.File("notebooks/prelude.csx"), "var device = \"cpu\";\n");
        string notebook = new NotebookBuilder().Parameters("var Quick = false;").Code("#load \"prelude.csx\"").Write(dir.File("notebooks/01.ipynb"));
        string hash = ExecutionStamp.CodeHash(Notebook.Load(notebook));
        Assert.Equal(hash, ExecutionStamp.CodeHash(Notebook.Load(notebook)));
        File.WriteAllText(dir.File("notebooks/prelude.csx"), "var device = \"cuda\";\n");
        Assert.NotEqual(hash, ExecutionStamp.CodeHash(Notebook.Load(notebook)));
        File.WriteAllText(dir.File("notebooks/prelude.csx"), "#load \"prelude.csx\"\n");   // a load that goes round is hashed once
        Assert.Matches("^[0-9a-f]{64}$", ExecutionStamp.CodeHash(Notebook.Load(notebook)));
    }

    [Fact]
    public void Line_endings_do_not_change_the_hash()
    {
        var unix = Parse(new NotebookBuilder().Code("var a = 1;\nvar b = 2;"));
        var windows = Notebook.Parse("w.ipynb",
            NotebookJson.Serialize(new NotebookBuilder().Code("x").ToJson()).Replace("\"x\"", "\"var a = 1;\\r\\n\", \"var b = 2;\""));
        Assert.Equal(ExecutionStamp.CodeHash(unix), ExecutionStamp.CodeHash(windows));
    }

    [Fact]
    public void Staleness_says_why()
    {
        var notebook = Parse(new NotebookBuilder().Parameters("var Quick = false;").Code("Quick"));
        Assert.Equal("its outputs were not written by the course's runner (no execution stamp in its metadata)", ExecutionStamp.Staleness(notebook));

        ExecutionStamp.Write(notebook, new Dictionary<string, TypedValue>(), "passed");
        Assert.Null(ExecutionStamp.Staleness(notebook));

        ExecutionStamp.Write(notebook, new Dictionary<string, TypedValue> { ["Quick"] = TypedValue.TryConvert("true", ParameterType.Bool)! }, "passed");
        Assert.Equal("its outputs come from a run with parameters (Quick=true), not from its defaults", ExecutionStamp.Staleness(notebook));

        ExecutionStamp.Write(notebook, new Dictionary<string, TypedValue>(), "failed");
        Assert.Equal("its recorded run failed", ExecutionStamp.Staleness(notebook));

        ExecutionStamp.Write(notebook, new Dictionary<string, TypedValue>(), "passed");
        notebook.Cells[1].Source = "Quick || true";
        Assert.Equal("its code changed after its outputs were produced", ExecutionStamp.Staleness(notebook));
    }

    [Fact]
    public async Task Check_outputs_passes_for_a_fresh_run_and_names_each_stale_notebook()
    {
        string folder = dir.File("notebooks/");
        string lesson = new NotebookBuilder().Markdown("# Lesson").Parameters("var Quick = false;").Code("Quick ? 1 : 2")
            .Write(Path.Combine(folder, "01-lesson.ipynb"));
        string quick = new NotebookBuilder().Parameters("var Quick = false;").Code("Quick").Write(Path.Combine(folder, "02-quick.ipynb"));
        new NotebookBuilder().Code("1").Write(Path.Combine(folder, "03-never-run.ipynb"));
        await RunnerHarness.RunOneAsync(lesson, OutputMode.InPlace);
        await RunnerHarness.RunOneAsync(quick, OutputMode.InPlace, ("Quick", "true"));
        Nbformat.AssertValid(lesson, quick);

        var (exitCode, stdout, _) = RunnerHarness.RunCli(dir.Path, "check-outputs", "notebooks/01-lesson.ipynb");
        Assert.Equal((0, "1 notebook checked: 1 fresh, 0 stale\n"), (exitCode, stdout));

        // Prose may change without staling the outputs; code may not.
        var edited = Notebook.Load(lesson);
        edited.Cells[0].Source = "# Lesson, reworded";
        File.WriteAllText(lesson, edited.ToJson());
        Assert.Equal(0, RunnerHarness.RunCli(dir.Path, "check-outputs", "notebooks/01-lesson.ipynb").ExitCode);
        edited.Cells[2].Source = "Quick ? 10 : 20";
        File.WriteAllText(lesson, edited.ToJson());

        (exitCode, stdout, _) = RunnerHarness.RunCli(dir.Path, "check-outputs", "notebooks");
        Assert.Equal(1, exitCode);
        Assert.Equal($"""
            {Path.Combine("notebooks", "01-lesson.ipynb")}: its code changed after its outputs were produced
            {Path.Combine("notebooks", "02-quick.ipynb")}: its outputs come from a run with parameters (Quick=true), not from its defaults
            {Path.Combine("notebooks", "03-never-run.ipynb")}: its outputs were not written by the course's runner (no execution stamp in its metadata)
            3 notebooks checked: 0 fresh, 3 stale

            """, stdout);
    }

    [Fact]
    public async Task Re_running_an_unchanged_notebook_changes_only_its_timestamps()
    {
        string path = new NotebookBuilder()
            .Markdown("# Lesson")
            .Parameters("var Quick = false;")
            .Code("Console.WriteLine(\"epoch 1\");\ndisplay(HTML(\"<p>chart</p>\"));\nnew[] { 1, 2 }")
            .Write(dir.File("lesson.ipynb"));
        await RunnerHarness.RunOneAsync(path, OutputMode.InPlace);
        string[] first = File.ReadAllLines(path);
        await RunnerHarness.RunOneAsync(path, OutputMode.InPlace);
        string[] second = File.ReadAllLines(path);
        Nbformat.AssertValid(path);

        Assert.Equal(first.Length, second.Length);
        var changed = first.Zip(second).Where(pair => pair.First != pair.Second).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, pair => Assert.Matches("\"(iopub.execute_input|shell.execute_reply)\": ", pair.Second));
        Assert.EndsWith("}\n", File.ReadAllText(path));
        Assert.DoesNotContain("\r", File.ReadAllText(path));
    }
}
