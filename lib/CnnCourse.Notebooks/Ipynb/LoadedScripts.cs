using System.Text;
using System.Text.RegularExpressions;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>
/// The script files a cell loads with the C# kernel's <c>#load "file.csx"</c> (the course's prelude,
/// <c>#load "prelude.csx"</c>). The kernel resolves the path against the notebook's folder (its working
/// directory), and a <c>#load</c> inside a loaded file against that file's folder.
/// </summary>
internal static partial class LoadedScripts
{
    /// <summary>The cell's <c>#load</c> lines: their index in the cell and the path as written.</summary>
    public static IEnumerable<(int Line, string Path)> Directives(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (LoadLine().Match(lines[i]) is { Success: true } m) yield return (i, m.Groups["path"].Value);
    }

    /// <summary>
    /// The cell's source with each <c>#load "file"</c> line replaced by the file's text, loads inside it
    /// replaced the same way. <paramref name="fail"/> makes the exception for a file that is missing or that
    /// loads itself (through others or directly).
    /// </summary>
    public static string Inline(string source, string folder, Func<string, Exception> fail) => Inline(source, folder, fail, []);

    /// <summary>The text of every file the cell loads, in order (loads inside them included, each file once); a missing file adds nothing.</summary>
    public static IEnumerable<string> Texts(string source, string folder) => Texts(source, folder, new HashSet<string>(StringComparer.Ordinal));

    private static IEnumerable<string> Texts(string source, string folder, HashSet<string> seen)
    {
        foreach (var (_, path) in Directives(source))
        {
            string file = Path.GetFullPath(Path.Combine(folder, path));
            if (!File.Exists(file) || !seen.Add(file)) continue;
            string text = File.ReadAllText(file).Replace("\r\n", "\n");
            yield return text;
            foreach (var inner in Texts(text, Path.GetDirectoryName(file)!, seen)) yield return inner;
        }
    }

    /// <param name="loading">The files being inlined, outermost first (empty for the cell itself).</param>
    private static string Inline(string source, string folder, Func<string, Exception> fail, List<string> loading)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var directives = Directives(source).ToDictionary(d => d.Line, d => d.Path);
        if (directives.Count == 0) return source;
        var text = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0) text.Append('\n');
            if (!directives.TryGetValue(i, out var path))
            {
                text.Append(lines[i]);
                continue;
            }
            string where = (loading.Count == 0 ? "" : Path.GetFileName(loading[^1]) + ", ") + $"line {i + 1}: #load \"{path}\"";
            string file = Path.GetFullPath(Path.Combine(folder, path));
            if (!File.Exists(file)) throw fail($"{where}: the file does not exist");
            if (loading.Contains(file))
                throw fail($"{where}: the loads go round ({string.Join(" → ", loading.Append(file).Select(Path.GetFileName))})");
            loading.Add(file);
            text.Append(Inline(File.ReadAllText(file), Path.GetDirectoryName(file)!, fail, loading).Replace("\r\n", "\n").TrimEnd('\n'));
            loading.RemoveAt(loading.Count - 1);
        }
        return text.ToString();
    }

    [GeneratedRegex("""^\s*#load\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex LoadLine();
}
