using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace CnnCourse.Notebooks.Kernel;

/// <summary>Builds the error output of a failed cell from compiler diagnostics or a runtime exception.</summary>
internal sealed class CellErrors(CellPaths paths)
{
    /// <summary>Every compile error as <c>(line,col): error CSxxxx: message</c>, lines counted within the cell.</summary>
    public CellError FromDiagnostics(IEnumerable<Diagnostic> diagnostics, int cellPosition)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var lines = errors.Select(d => Describe(d, cellPosition)).ToList();
        int? line = errors
            .Select(d => d.Location.GetMappedLineSpan())
            .Where(span => paths.CellOf(span.Path) == cellPosition)
            .Select(span => (int?)span.StartLinePosition.Line + 1)
            .FirstOrDefault();
        return new CellError("CompilationError", string.Join("\n", lines), lines, line, line is null ? null : cellPosition);
    }

    private string Describe(Diagnostic diagnostic, int cellPosition)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        string position = $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        // A diagnostic in another file (a #load'ed script) names that file, as csc does.
        string file = span.IsValid && paths.CellOf(span.Path) != cellPosition ? paths.Relative(span.Path) : "";
        return $"{file}{position}: error {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The exception's type, message and text (without the scripting engine's frames), and the notebook line it came from.</summary>
    public CellError FromException(Exception exception)
    {
        var traceback = paths.Relative(exception.ToString())
            .Replace("\r\n", "\n")
            .Split('\n')
            .Where(line => !IsEngineFrame(line))
            .ToList();
        while (traceback.Count > 0 && traceback[^1].TrimStart().StartsWith("--- End of stack trace", StringComparison.Ordinal))
            traceback.RemoveAt(traceback.Count - 1);
        var (line, cell) = InnermostNotebookFrame(exception);
        return new CellError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, traceback, line, cell);
    }

    private static bool IsEngineFrame(string line)
    {
        string trimmed = line.TrimStart();
        return trimmed.StartsWith("at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal)
            || trimmed.StartsWith("at CnnCourse.Notebooks.", StringComparison.Ordinal);
    }

    private (int? Line, int? Cell) InnermostNotebookFrame(Exception exception)
    {
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            if (frame.GetFileName() is string file && paths.CellOf(file) is int cell && frame.GetFileLineNumber() > 0)
                return (frame.GetFileLineNumber(), cell);
        }
        return (null, null);
    }
}

/// <summary>
/// The file path each cell is compiled under (<c>notebook.ipynb#cell3</c>, beside the notebook so
/// relative <c>#r</c>/<c>#load</c> resolve in its folder, and so stack traces name the cell), and the
/// way back from a path to the cell's position.
/// </summary>
internal sealed class CellPaths(string notebookPath)
{
    private readonly string _notebookPath = Path.GetFullPath(notebookPath);
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public string NotebookDirectory => Path.GetDirectoryName(_notebookPath)!;

    /// <param name="cellPosition">0-based position in the notebook.</param>
    /// <param name="cellName">How traces name the cell ("cell3"); by default its 1-based position.</param>
    public string For(int cellPosition, string? cellName = null)
    {
        string path = $"{_notebookPath}#{cellName ?? $"cell{cellPosition + 1}"}";
        lock (_positions) _positions[path] = cellPosition;
        return path;
    }

    public int? CellOf(string? path)
    {
        if (path is null) return null;
        lock (_positions) return _positions.TryGetValue(path, out int position) ? position : null;
    }

    /// <summary>Text with the notebook's folder removed from paths, so outputs do not carry this machine's paths.</summary>
    public string Relative(string text) => text.Replace(NotebookDirectory + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
}
