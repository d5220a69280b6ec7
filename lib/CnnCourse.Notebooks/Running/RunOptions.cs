using CnnCourse.Notebooks.Parameters;

namespace CnnCourse.Notebooks.Running;

/// <summary>Where executed notebooks are written.</summary>
internal enum OutputMode
{
    /// <summary>Nowhere: run and report only (a test run).</summary>
    None,

    /// <summary>Over the notebook itself (atomically).</summary>
    InPlace,

    /// <summary>Into <see cref="RunOptions.OutputDirectory"/>, under the notebook's file name.</summary>
    Directory,
}

internal sealed record RunOptions
{
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(30);

    public IReadOnlyList<NotebookParameter> Parameters { get; init; } = [];

    public OutputMode Output { get; init; } = OutputMode.None;

    public string? OutputDirectory { get; init; }

    /// <summary>The longest one cell may run; null for no limit.</summary>
    public TimeSpan? CellTimeout { get; init; } = DefaultCellTimeout;

    /// <summary>The longest one notebook may run, start to end; null for no limit.</summary>
    public TimeSpan? NotebookTimeout { get; init; }

    /// <summary>Where the notebook at <paramref name="path"/> is written, or null when it is not.</summary>
    public string? TargetFor(string path) => Output switch
    {
        OutputMode.InPlace => path,
        OutputMode.Directory => Path.Combine(OutputDirectory!, Path.GetFileName(path)),
        _ => null,
    };
}
