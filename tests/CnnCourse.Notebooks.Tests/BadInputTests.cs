using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>Files the runner cannot run: one line naming the file and the problem, no stack trace, nothing written.</summary>
public sealed class BadInputTests : IDisposable
{
    private const string CSharpKernelspec = """{"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}}""";
    private const string PythonKernelspec = """{"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}""";
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    public static TheoryData<string, string, string> BadNotebooks => new()
    {
        { "malformed.ipynb", """{"cells": [ {"cell_type": "code", """, "malformed.ipynb: is not valid JSON at line 1, column 35" },
        { "old.ipynb", """{"cells": [], "metadata": """ + CSharpKernelspec + """, "nbformat": 3, "nbformat_minor": 0}""",
            "old.ipynb: has nbformat 3, and only nbformat 4 is supported" },
        { "python.ipynb", """{"cells": [], "metadata": """ + PythonKernelspec + """, "nbformat": 4, "nbformat_minor": 5}""",
            "python.ipynb: uses the kernel \"python3\", not C# (expected \".net-csharp\")" },
        { "no-kernel.ipynb", """{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""",
            "no-kernel.ipynb: has no kernelspec (expected the Polyglot C# kernel, \".net-csharp\")" },
        { "array.ipynb", "[1, 2]", "array.ipynb: is not a notebook (the JSON is not an object)" },
        { "bad-cell.ipynb",
            """{"cells": [{"cell_type": "code", "metadata": {}}], "metadata": """ + CSharpKernelspec + """, "nbformat": 4, "nbformat_minor": 5}""",
            "bad-cell.ipynb: cell 1 has no source text" },
    };

    [Theory]
    [MemberData(nameof(BadNotebooks))]
    public void Loading_a_bad_notebook_fails_with_one_line_naming_the_file(string name, string content, string message)
    {
        File.WriteAllText(Path.Combine(dir.Path, name), content);
        var error = Assert.Throws<NotebookInputException>(() => Notebook.Load(Path.Combine(dir.Path, name)));
        Assert.Equal(Path.Combine(dir.Path, message), error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(dir.Path, "absent.ipynb");
        Assert.Equal($"{path}: no such file", Assert.Throws<NotebookInputException>(() => Notebook.Load(path)).Message);
    }

    [Fact]
    public async Task The_runner_reports_bad_notebooks_as_invalid_writes_nothing_and_still_runs_the_others()
    {
        var bad = BadNotebooks.Select(row => (string)row[0]).ToList();
        foreach (var row in BadNotebooks) File.WriteAllText(Path.Combine(dir.Path, (string)row[0]), (string)row[1]);
        var before = bad.ToDictionary(name => name, name => File.ReadAllText(Path.Combine(dir.Path, name)));
        string good = new NotebookBuilder().Code("1 + 1").Write(Path.Combine(dir.Path, "good.ipynb"));

        var paths = bad.Select(name => Path.Combine(dir.Path, name)).Append(Path.Combine(dir.Path, "missing.ipynb")).Append(good).ToArray();
        var results = await RunnerHarness.RunAsync(new RunOptions { Output = OutputMode.InPlace }, paths);

        Assert.Equal(Enumerable.Repeat(NotebookStatus.Invalid, bad.Count + 1).Append(NotebookStatus.Passed), results.Select(r => r.Status));
        Assert.Equal(BadNotebooks.Select(row => Path.Combine(dir.Path, (string)row[2])), results.Take(bad.Count).Select(r => r.Message));
        Assert.Equal($"{paths[bad.Count]}: no such file", results[bad.Count].Message);
        foreach (string name in bad) Assert.Equal(before[name], File.ReadAllText(Path.Combine(dir.Path, name)));
        Assert.False(File.Exists(paths[bad.Count]));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp"));
        Nbformat.AssertValid(good);
    }

    [Fact]
    public void The_command_line_prints_one_line_per_bad_notebook_and_no_stack_trace()
    {
        File.WriteAllText(Path.Combine(dir.Path, "broken.ipynb"), "{ not json");
        var (exitCode, stdout, stderr) = RunnerHarness.RunCli(dir.Path, "run", "broken.ipynb", "absent.ipynb", "--in-place");
        Assert.Equal(1, exitCode);
        Assert.Contains("broken.ipynb: is not valid JSON at line 1, column 3", stdout);
        Assert.Contains("absent.ipynb: no such file", stdout);
        Assert.DoesNotContain("   at ", stdout + stderr);
        Assert.Equal("{ not json", File.ReadAllText(Path.Combine(dir.Path, "broken.ipynb")));
    }
}
