using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// A course notebook in a real front end: Debian's Jupyter Notebook server (the classic UI) with the
/// course's kernelspec, opened in headless Chromium driven by Selenium, Cell &gt; Run All, and the page
/// read as a learner sees it.
/// </summary>
[Collection(JupyterCollection.Name)]
public sealed class BrowserTests
{
    private const string NotebookName = "01-convolution.ipynb";

    /// <summary>For the kernel to start and every cell of 01 to run (about 30 s alone; a CPU-only CI machine shared with other jobs is slower).</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The 5×5 ⋆ 3×3 example's result, [[4,3,4],[2,4,3],[2,3,4]], as the page shows a TorchSharp tensor:
    /// <c>[3x3], type = Float32, device = cpu</c>, then one row per line, <c>4 3 4</c>, <c>2 4 3</c>, <c>2 3 4</c>.
    /// </summary>
    private static readonly Regex ConvolutionResult = new(@"\[3x3\], type = Float32, device = cpu\s+4 3 4\s+2 4 3\s+2 3 4\b");

    private static string Screenshot => Path.Combine(CourseNotebooks.RepositoryRoot, "artifacts", "browser", "01-convolution.png");

    [Fact(Timeout = 15 * 60 * 1000)]
    public async Task Notebook_01_runs_in_Jupyter_Notebook_in_Chromium()
    {
        DebianPackages.Require(DebianPackage.JupyterNotebook, DebianPackage.Chromium, DebianPackage.ChromiumDriver, DebianPackage.Selenium);
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot)!);
        File.Delete(Screenshot);

        using var workspace = JupyterWorkspace.Create();
        workspace.CopyNotebook(NotebookName);
        JupyterServer? server = null;
        ChildProcess? browser = null;
        JsonObject page;
        List<(int Pid, string CommandLine)> leftOver;
        try
        {
            server = await JupyterServer.StartAsync(workspace, startTimeout: TimeSpan.FromMinutes(1));
            browser = ChildProcess.Start(DebianPackages.Python,
                [
                    JupyterWorkspace.Script("run_in_browser.py"),
                    "--url", server.NotebookPage($"notebooks/{NotebookName}").ToString(),
                    "--screenshot", Screenshot,
                    "--scroll-to", "[3x3], type = Float32",
                    "--profile", Path.Combine(workspace.Root, "chromium-profile"),
                    "--timeout", RunTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ],
                workspace.Work, workspace.Environment);
            bool finished = await browser.WaitForExitAsync(RunTimeout + TimeSpan.FromMinutes(1));
            Assert.True(finished,
                $"the browser driver still ran after {RunTimeout.TotalMinutes + 1:0} minutes:\n{browser.Tail()}\n\nserver:\n{server.Process.Tail()}");
            Assert.True(browser.ExitCode == 0,
                $"the browser driver failed ({browser.ExitCode}):\n{browser.Tail()}\n\nserver:\n{server.Process.Tail()}");
            page = JsonNode.Parse(browser.Stdout.Trim().Split('\n')[^1])!.AsObject();
        }
        finally
        {
            // Whatever happened: the browser and its driver, the server and its kernel all end here.
            browser?.Dispose();
            if (server is not null) await server.DisposeAsync();
            leftOver = [.. ChildProcess.KillMentioning(workspace.Root)];
        }

        var cells = page["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        string Describe(JsonObject cell) => $"cell {cell["index"]} (In [{cell["prompt"]}]): {cell["text"]}";
        Assert.True(page["finished"]!.GetValue<bool>(), "the run did not finish");
        Assert.Equal("idle", page["kernel_status"]!.GetValue<string>());
        Assert.NotEmpty(cells);
        var failed = cells.Where(c => c["output_types"]!.AsArray().Any(t => t!.GetValue<string>() == "error")).ToList();
        Assert.True(failed.Count == 0, "cells with an error output:\n" + string.Join("\n", failed.Select(Describe)));
        // Every code cell ran, in order: In [1], In [2], … (none still queued as In [*]).
        Assert.Equal(Enumerable.Range(1, cells.Count).Select(n => (int?)n),
            cells.Select(c => c["prompt"]?.GetValueKind() == JsonValueKind.Number ? c["prompt"]!.GetValue<int>() : (int?)null));
        Assert.True(cells.Any(c => ConvolutionResult.IsMatch(c["text"]!.GetValue<string>())),
            "the page does not show the 5×5 ⋆ 3×3 result, a 3x3 tensor with rows 4 3 4, 2 4 3, 2 3 4; the cells show:\n"
            + string.Join("\n", cells.Take(6).Select(Describe)));
        Assert.True(File.Exists(Screenshot) && new FileInfo(Screenshot).Length > 0, $"no screenshot at {Screenshot}");

        // Nothing left running or listening.
        Assert.True(leftOver.Count == 0, "still running after the test (killed now):\n" + string.Join("\n", leftOver.Select(p => $"{p.Pid}: {p.CommandLine}")));
        Assert.False(server!.PortAcceptsConnections(), $"port {server.Port} still accepts connections after the server stopped");
    }
}
