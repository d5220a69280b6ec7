using System.Net;
using System.Text.RegularExpressions;
using CnnCourse.Display;

namespace CnnCourse.Apps;

/// <summary>
/// The notebook kernel's <c>display</c> and <c>HTML</c> for a program: values are written to the
/// console as their plain text (<see cref="PlainText.Of"/>, the <c>text/plain</c> form every course
/// display type has). A lesson exported by <c>./course export</c> imports them with
/// <c>using static CnnCourse.Apps.NotebookFunctions;</c>, so its cells read as in the notebook.
/// The names are the kernel's, lower case included.
/// </summary>
public static class NotebookFunctions
{
    /// <summary>Writes the value's plain text on its own line(s); the handle's <c>Update</c> writes the new value.</summary>
    public static DisplayedText display(object? value) => display(value, Console.Out);

    internal static DisplayedText display(object? value, TextWriter writer)
    {
        var shown = new DisplayedText(writer);
        shown.Update(value);
        return shown;
    }

    /// <summary>HTML that a console shows as its text (tags removed, entities decoded).</summary>
    public static HtmlText HTML(string html) => new(html);
}

/// <summary>What <see cref="NotebookFunctions.display(object?)"/> returns, like the kernel's handle.</summary>
public sealed class DisplayedText
{
    private readonly TextWriter writer;

    internal DisplayedText(TextWriter writer) => this.writer = writer;

    /// <summary>A console cannot replace what it wrote: the new value is written after it.</summary>
    public void Update(object? value)
    {
        string text = PlainText.Of(value);
        this.writer.Write(text);
        if (!text.EndsWith('\n')) this.writer.WriteLine();
    }
}

/// <summary>HTML kept as written; its plain text (a line per block, tags removed, entities decoded) is what a console shows.</summary>
public sealed partial class HtmlText(string html)
{
    public string Html { get; } = html;

    public override string ToString()
    {
        string text = Tag().Replace(BlockBoundary().Replace(Html, "\n"), "");
        return BlankLines().Replace(WebUtility.HtmlDecode(text), "\n").Trim('\n');
    }

    [GeneratedRegex(@"<br\s*/?>|</?(p|div|pre|li|ul|ol|h[1-6]|tr|table|blockquote)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockBoundary();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n{2,}")]
    private static partial Regex BlankLines();
}
