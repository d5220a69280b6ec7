using CnnCourse.Notebooks.Running;

namespace CnnCourse.Notebooks.Tests;

public sealed class ProgressTests
{
    private static readonly NotebookResult Passed = new("notebooks/01-a.ipynb", NotebookStatus.Passed, TimeSpan.FromSeconds(2.25));

    [Fact]
    public void Not_on_a_terminal_progress_is_plain_lines()
    {
        var output = new StringWriter();
        using (var progress = new ConsoleProgress(output, live: false))
        {
            progress.NotebookStarted("notebooks/01-a.ipynb", 1, 2);
            progress.CellStarted(1, 3);
            progress.NotebookFinished(Passed, 1, 2);
        }
        Assert.Matches("""
            ^\[1/2\] notebooks/01-a.ipynb: starting
            \[1/2\] notebooks/01-a.ipynb: cell 1/3 \(\d+\.\d s\)
            \[1/2\] notebooks/01-a.ipynb: passed in 2.3 s
            $
            """.Replace("\r\n", "\n"), output.ToString().Replace(Environment.NewLine, "\n"));
    }

    [Fact]
    public void On_a_terminal_one_status_line_is_redrawn_in_place()
    {
        var output = new StringWriter();
        using (var progress = new ConsoleProgress(output, live: true))
        {
            progress.NotebookStarted("notebooks/01-a.ipynb", 1, 2);
            progress.CellStarted(2, 3);
            progress.NotebookFinished(Passed, 1, 2);
        }
        string text = output.ToString();
        Assert.StartsWith("\r\u001b[K[1/2] notebooks/01-a.ipynb  starting  0:00\r\u001b[K[1/2] notebooks/01-a.ipynb  cell 2/3  0:00", text);
        Assert.EndsWith("\r\u001b[K[1/2] notebooks/01-a.ipynb: passed in 2.3 s" + Environment.NewLine, text);
    }

    [Fact]
    public void The_report_of_an_empty_run_says_so()
    {
        Assert.Equal("no notebooks to run\n", RunReport.Format([]));
    }
}
