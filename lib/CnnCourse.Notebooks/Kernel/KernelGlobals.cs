using CnnCourse.Notebooks.Display;

namespace CnnCourse.Notebooks.Kernel;

/// <summary>
/// The members a notebook's code sees without qualification, named as in the Polyglot C# kernel so a
/// notebook runs the same in both: <c>display(value)</c> and <c>HTML("...")</c>.
/// </summary>
public sealed class KernelGlobals
{
    internal KernelGlobals()
    {
    }

    /// <summary>Where displays of the running cell go; set by the session before each cell.</summary>
    internal IOutputSink? Sink { get; set; }

    /// <summary>
    /// Shows <paramref name="value"/> as an output of the running cell, in <paramref name="mimeTypes"/>
    /// (by default the MIME types the value's type prefers); the handle's <c>Update</c> replaces it.
    /// </summary>
#pragma warning disable IDE1006 // lower case to match the kernel's API
    public DisplayedValue display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        var sink = Sink ?? throw new InvalidOperationException("display() can only be called while a cell runs.");
        string displayId = Guid.NewGuid().ToString("N");
        sink.Display(displayId, MimeBundle.Create(value, mimeTypes));
        return new DisplayedValue(sink, displayId, mimeTypes);
    }

    /// <summary>HTML shown as it is when displayed or returned by a cell.</summary>
    public HtmlString HTML(string content) => new(content);
}
