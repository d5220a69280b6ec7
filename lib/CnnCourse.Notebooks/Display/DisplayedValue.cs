using CnnCourse.Notebooks.Kernel;

namespace CnnCourse.Notebooks.Display;

/// <summary>
/// The handle <c>display(...)</c> returns, as in the Polyglot kernel: <see cref="Update"/> replaces
/// what that display shows (a progress line, a chart redrawn each epoch) instead of adding an output.
/// </summary>
public sealed class DisplayedValue
{
    private readonly IOutputSink _sink;
    private readonly string[] _mimeTypes;

    internal DisplayedValue(IOutputSink sink, string displayId, string[] mimeTypes)
    {
        _sink = sink;
        DisplayId = displayId;
        _mimeTypes = mimeTypes;
    }

    public string DisplayId { get; }

    /// <summary>The MIME types asked for when the value was displayed (empty: the value's preferred ones).</summary>
    public IReadOnlyList<string> MimeTypes => _mimeTypes;

    public void Update(object? updatedValue) =>
        _sink.UpdateDisplay(DisplayId, MimeBundle.Create(updatedValue, _mimeTypes));
}
