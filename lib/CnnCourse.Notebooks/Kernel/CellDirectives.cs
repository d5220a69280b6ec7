using System.Text.RegularExpressions;

namespace CnnCourse.Notebooks.Kernel;

/// <summary>What a cell asks for once its Polyglot directives are read.</summary>
internal enum CellKind
{
    /// <summary>C# to run.</summary>
    CSharp,

    /// <summary>A <c>#!markdown</c> cell (or one whose kernel is markdown): shown, not run.</summary>
    Markdown,

    /// <summary>A directive the runner cannot honour; the cell fails with <see cref="PreparedCell.Error"/>.</summary>
    Unsupported,
}

/// <param name="Code">The C# to submit: directive lines are blanked, so line numbers stay the cell's.</param>
/// <param name="Timed">The cell asked for <c>#!time</c>.</param>
internal sealed record PreparedCell(CellKind Kind, string Code, bool Timed, CellError? Error);

/// <summary>
/// Reads the Polyglot magic commands of a cell. C# cells may start with <c>#!csharp</c> / <c>#!c#</c>
/// and use <c>#!time</c>; <c>#!markdown</c> cells are not run. Everything that needs another kernel or
/// NuGet (other languages, <c>#r "nuget: …"</c>, <c>#i</c>) fails with a message naming the directive and
/// what to do instead, rather than being silently skipped.
/// </summary>
internal static partial class CellDirectives
{
    public const string LibraryReferenceExample = "#r \"../artifacts/bin/CnnCourse/release/CnnCourse.dll\"";

    private static readonly HashSet<string> CSharpNames = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#" };
    private static readonly HashSet<string> MarkdownNames = new(StringComparer.OrdinalIgnoreCase) { "markdown", "md" };

    /// <summary>Magic commands of the Polyglot kernels that switch a cell to another language.</summary>
    private static readonly HashSet<string> OtherLanguages = new(StringComparer.OrdinalIgnoreCase)
    {
        "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "sql", "kql", "mermaid",
        "http", "python", "r", "value", "typescript", "ts",
    };

    [GeneratedRegex("""^#r\s+"\s*nuget\s*:""", RegexOptions.IgnoreCase)]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^#i\s""")]
    private static partial Regex PackageSource();

    /// <param name="kernelName">The cell's Polyglot kernel from its metadata, if any.</param>
    public static PreparedCell Prepare(string source, string? kernelName)
    {
        if (kernelName is not null && MarkdownNames.Contains(kernelName)) return new PreparedCell(CellKind.Markdown, "", false, null);
        if (kernelName is not null && !CSharpNames.Contains(kernelName))
            return Unsupported(1, $"this cell runs in the '{kernelName}' kernel; the course's runner runs C# cells only (set the cell's language to C#)");

        string[] lines = source.Replace("\r\n", "\n").Split('\n');
        bool timed = false;
        bool codeSeen = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            int lineNumber = i + 1;
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                string name = line[2..].Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                if (CSharpNames.Contains(name))
                {
                    lines[i] = "";
                }
                else if (name.Equals("time", StringComparison.OrdinalIgnoreCase))
                {
                    timed = true;
                    lines[i] = "";
                }
                else if (MarkdownNames.Contains(name))
                {
                    if (!codeSeen) return new PreparedCell(CellKind.Markdown, "", false, null);
                    // Markdown after C# in one cell: the kernel splits the cell; only the C# part runs.
                    for (int j = i; j < lines.Length; j++) lines[j] = "";
                    break;
                }
                else if (OtherLanguages.Contains(name))
                {
                    return Unsupported(lineNumber, $"#!{name} switches to another kernel; the course's runner runs C# cells only");
                }
                else
                {
                    return Unsupported(lineNumber, $"the magic command #!{name} is not supported by the course's runner (it knows #!csharp, #!time and #!markdown)");
                }
            }
            else if (NuGetReference().IsMatch(line))
            {
                return Unsupported(lineNumber, $"{line} is not supported: the course's runner does not restore NuGet packages; reference the course library by its path instead, e.g. {LibraryReferenceExample}");
            }
            else if (PackageSource().IsMatch(line))
            {
                return Unsupported(lineNumber, $"{line} is not supported: the course's runner does not restore NuGet packages, so package sources (#i) mean nothing; reference assemblies by path with #r \"path/to/library.dll\"");
            }
            else if (line.Length > 0)
            {
                codeSeen = true;
            }
        }
        return new PreparedCell(CellKind.CSharp, string.Join('\n', lines), timed, null);
    }

    private static PreparedCell Unsupported(int line, string message)
    {
        string text = $"({line},1): {message}";
        return new PreparedCell(CellKind.Unsupported, "", false, new CellError("UnsupportedDirective", text, [text], line));
    }
}
