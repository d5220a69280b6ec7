namespace CnnCourse.Notebooks.Ipynb;

/// <summary>
/// A notebook that cannot be read as a Polyglot C# notebook. The message is one line that starts
/// with the file's path and says what is wrong; the file is never written.
/// </summary>
internal sealed class NotebookInputException(string path, string reason)
    : Exception($"{path}: {reason}")
{
    public string NotebookPath { get; } = path;
    public string Reason { get; } = reason;
}
