using System.Globalization;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Running;

internal enum NotebookStatus
{
    Passed,

    /// <summary>A cell raised an error; the run stopped there.</summary>
    Failed,

    /// <summary>A cell (or the notebook) ran past its time limit and its process was stopped.</summary>
    TimedOut,

    /// <summary>The notebook's process died (a crash, FailFast, out of memory).</summary>
    Crashed,

    /// <summary>The file could not be run at all (missing, not a C# notebook, bad parameters).</summary>
    Invalid,

    /// <summary>The run was cancelled (Ctrl+C) before the notebook ended; nothing was written.</summary>
    Interrupted,
}

/// <summary>The cell a notebook stopped at, and where in the notebook's code the error points.</summary>
/// <param name="CellPosition">0-based position of the failing cell in the executed notebook.</param>
/// <param name="Cell">How people find the cell: "cell 7 (code cell 4)", counted as in the source notebook.</param>
/// <param name="LineCell">The cell holding the error's line when it is another one (a method defined earlier).</param>
/// <param name="SourceLine">The line of code the error points to, when known.</param>
internal sealed record CellFailure(int CellPosition, string Cell, CellError Error, string? LineCell, string? SourceLine)
{
    /// <summary>"cell 7 (code cell 4), line 3: `var y = f(x);`: System.Exception: message".</summary>
    public string Describe()
    {
        string where = Cell;
        if (Error.Line is int line)
        {
            where += $", line {line}{(LineCell is null ? "" : $" of {LineCell}")}";
            if (!string.IsNullOrWhiteSpace(SourceLine)) where += $": `{SourceLine.Trim()}`";
        }
        return $"{where}: {Error.Name}: {FirstLine(Error.Value)}";
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}

/// <summary>How one notebook's run ended.</summary>
internal sealed record NotebookResult(string Path, NotebookStatus Status, TimeSpan Elapsed)
{
    /// <summary>Why the notebook did not pass when no cell is to blame (bad input, a process that never started).</summary>
    public string? Message { get; init; }

    public CellFailure? Failure { get; init; }

    /// <summary>The notebook with its new outputs (null when it could not be read or run).</summary>
    public Notebook? Notebook { get; init; }

    public string? WrittenTo { get; init; }

    /// <summary>Set when writing the executed notebook failed; the file on disk is unchanged.</summary>
    public string? WriteError { get; init; }

    public bool Succeeded => Status == NotebookStatus.Passed && WriteError is null;

    public string StatusText => Status switch
    {
        NotebookStatus.Passed when WriteError is not null => "not written",
        NotebookStatus.TimedOut => "timed out",
        _ => Status.ToString().ToLowerInvariant(),
    };

    /// <summary>One line on what went wrong, or null when the notebook passed.</summary>
    public string? Problem => Failure?.Describe() ?? Message ?? WriteError;

    public string ElapsedText => FormatSeconds(Elapsed);

    public static string FormatSeconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
