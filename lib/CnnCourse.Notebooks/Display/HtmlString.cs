namespace CnnCourse.Notebooks.Display;

/// <summary>HTML to show as it is, what the Polyglot kernel's <c>HTML("...")</c> returns.</summary>
public sealed class HtmlString(string html)
{
    public string Value { get; } = html;

    public override string ToString() => Value;
}
