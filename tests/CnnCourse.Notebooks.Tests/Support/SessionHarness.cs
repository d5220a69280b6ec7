using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Kernel;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>A notebook session run in the test process, cell by cell, with each cell's outputs as nbformat JSON.</summary>
internal sealed class SessionHarness(string notebookPath)
{
    private readonly NotebookSession _session = new(notebookPath);
    private readonly DisplayRegistry _displays = new();
    private readonly List<CellOutputs> _cells = [];

    public async Task<(CellResult Result, CellOutputs Outputs)> RunAsync(string source, string? kernelName = null)
    {
        var outputs = new CellOutputs(_displays);
        _cells.Add(outputs);
        var result = await _session.RunCellAsync(_cells.Count - 1, source, kernelName, outputs);
        if (result.Error is not null) outputs.AddError(result.Error);
        return (result, outputs);
    }

    /// <summary>Runs a cell and returns its outputs as JSON text (VS Code's layout), for exact comparison.</summary>
    public async Task<string> OutputsJsonAsync(string source)
    {
        var (_, outputs) = await RunAsync(source);
        return Json(outputs.ToJson());
    }

    public static string Json(JsonNode node) => NotebookJson.Serialize(node).TrimEnd('\n');
}
