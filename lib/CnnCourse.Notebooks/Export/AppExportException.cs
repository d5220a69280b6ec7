namespace CnnCourse.Notebooks.Export;

/// <summary>
/// A notebook that cannot become a file-based app as it is: the message starts with the notebook's
/// path and, where one cell is the cause, its number (1-based, counting every cell, as the runner
/// counts them), then says what to change. Nothing is written for that notebook.
/// </summary>
internal sealed class AppExportException(string notebookPath, int? cell, string reason)
    : Exception($"{notebookPath}: {(cell is int n ? $"cell {n}: " : "")}{reason}")
{
    public int? Cell { get; } = cell;
    public string Reason { get; } = reason;
}
