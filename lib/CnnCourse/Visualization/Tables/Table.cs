using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>Horizontal alignment of a table column.</summary>
public enum ColumnAlignment { Auto, Left, Right }

/// <summary>
/// A table of results shown as HTML in notebooks and as aligned plain text (numbers right-aligned,
/// text left-aligned), built from rows, from columns or from a sequence of records.
/// </summary>
/// <example><code>
/// Table.From(models.Select(m => new { m.Name, m.Year, Parameters = m.ParameterCount, Top1 = m.Accuracy }))
///      .Format("Parameters", "N0").Format("Top1", "P1")
/// new Table("epoch", "loss", "accuracy").AddRow(1, 0.52, 0.81).AddRow(2, 0.38, 0.86)
/// </code></example>
[TypeFormatterSource(typeof(TableFormatterSource), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed class Table
{
    private readonly string[] columns;
    private readonly List<object?[]> rows = [];
    private readonly Dictionary<int, Func<object?, string>> formats = [];
    private readonly Dictionary<int, ColumnAlignment> alignments = [];

    /// <summary>An empty table with the given column names; fill it with <see cref="AddRow"/>.</summary>
    public Table(params string[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        this.columns = columns.ToArray();
    }

    public string? Title { get; private set; }
    public IReadOnlyList<string> Columns => this.columns;
    public IReadOnlyList<IReadOnlyList<object?>> Rows => this.rows;

    // ---- Creating tables --------------------------------------------------------------------------

    /// <summary>A table from column names and rows of cell values.</summary>
    public static Table FromRows(IEnumerable<string> columns, IEnumerable<IEnumerable<object?>> rows)
    {
        var table = new Table(columns.ToArray());
        foreach (var row in rows) table.AddRow(row.ToArray());
        return table;
    }

    /// <summary>A table from named columns of equal length.</summary>
    public static Table FromColumns(params (string Name, IEnumerable Values)[] columns)
    {
        var table = new Table(columns.Select(c => c.Name).ToArray());
        var values = columns.Select(c => c.Values.Cast<object?>().ToArray()).ToArray();
        int n = values.Length == 0 ? 0 : values[0].Length;
        for (int j = 0; j < values.Length; j++)
            if (values[j].Length != n)
                throw new ArgumentException($"Column '{columns[j].Name}' has {values[j].Length} values but '{columns[0].Name}' has {n}.", nameof(columns));
        for (int i = 0; i < n; i++) table.AddRow(values.Select(v => v[i]).ToArray());
        return table;
    }

    /// <summary>
    /// A table with one row per record and one column per public property or field (in declaration order),
    /// for records, anonymous objects and tuples; a sequence of plain values gives one column "value".
    /// </summary>
    public static Table From<T>(IEnumerable<T> records)
    {
        var type = typeof(T);
        if (type.IsPrimitive || type == typeof(string) || type == typeof(decimal))
            return FromColumns(("value", records.ToArray()));
        var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m is PropertyInfo { CanRead: true } p && p.GetIndexParameters().Length == 0 || m is FieldInfo)
            .OrderBy(m => m.MetadataToken)
            .ToArray();
        if (members.Length == 0) throw new ArgumentException($"{type.Name} has no public properties or fields to show as columns.");
        var table = new Table(members.Select(m => m.Name).ToArray());
        foreach (var r in records)
            table.AddRow(members.Select(m => r is null ? null : m is PropertyInfo p ? p.GetValue(r) : ((FieldInfo)m).GetValue(r)).ToArray());
        return table;
    }

    // ---- Filling and formatting (fluent) ---------------------------------------------------------

    /// <summary>Appends a row with one value per column.</summary>
    public Table AddRow(params object?[] cells)
    {
        if (cells.Length != this.columns.Length)
            throw new ArgumentException($"A row of this table has {this.columns.Length} cells ({string.Join(", ", this.columns)}), got {cells.Length}.",
                nameof(cells));
        this.rows.Add(cells.ToArray());
        return this;
    }

    public Table WithTitle(string? title)
    {
        Title = title;
        return this;
    }

    /// <summary>Formats a column's values with a .NET format string ("N0", "P1", "0.000", "F2").</summary>
    public Table Format(string column, string format) =>
        Format(column, v => v is IFormattable f ? f.ToString(format, CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "");

    /// <summary>Formats a column's values with a function.</summary>
    public Table Format(string column, Func<object?, string> format)
    {
        this.formats[IndexOf(column)] = format;
        return this;
    }

    /// <summary>Aligns a column (by default numbers right, everything else left).</summary>
    public Table Align(string column, ColumnAlignment alignment)
    {
        alignments[IndexOf(column)] = alignment;
        return this;
    }

    private int IndexOf(string column)
    {
        int i = Array.IndexOf(this.columns, column);
        if (i < 0) throw new ArgumentException($"The table has no column '{column}'; its columns are {string.Join(", ", this.columns)}.", nameof(column));
        return i;
    }

    // ---- Cell text --------------------------------------------------------------------------------

    internal static bool IsNumber(object? v) =>
        v is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or Half or System.Numerics.BigInteger;

    private static bool IsFloating(object? v) => v is float or double or Half or decimal;

    private static double ToDouble(object? v) => v switch
    {
        Half h => (double)h,
        _ => Convert.ToDouble(v, CultureInfo.InvariantCulture),
    };

    /// <summary>Whether column <paramref name="j"/> is right-aligned.</summary>
    public bool IsRightAligned(int j)
    {
        var a = alignments.GetValueOrDefault(j, ColumnAlignment.Auto);
        if (a != ColumnAlignment.Auto) return a == ColumnAlignment.Right;
        bool any = false;
        foreach (var row in this.rows)
        {
            if (row[j] is null) continue;
            if (!IsNumber(row[j])) return false;
            any = true;
        }
        return any;
    }

    /// <summary>
    /// The text of every cell, column by column formatted: given formats first, else floating-point columns with a common number of decimals.
    /// </summary>
    public string[][] CellTexts()
    {
        var texts = this.rows.Select(_ => new string[this.columns.Length]).ToArray();
        for (int j = 0; j < this.columns.Length; j++)
        {
            Func<object?, string> format = this.formats.TryGetValue(j, out var f) ? f : DefaultFormat(j);
            for (int i = 0; i < this.rows.Count; i++) texts[i][j] = this.rows[i][j] is null ? "" : format(this.rows[i][j]);
        }
        return texts;
    }

    /// <summary>
    /// Floating-point values of a column share one number of decimals: the fewest (up to 4) that show every
    /// value exactly, else enough for 4 significant digits of the largest; tiny values switch the column to
    /// scientific notation. Other values print with the invariant culture.
    /// </summary>
    private Func<object?, string> DefaultFormat(int j)
    {
        var inv = CultureInfo.InvariantCulture;
        string Plain(object? v) => v switch
        {
            null => "",
            bool b => b ? "true" : "false",
            IFormattable x => x.ToString(null, inv),
            _ => v.ToString() ?? "",
        };
        var floats = this.rows.Select(r => r[j]).Where(IsFloating).Select(ToDouble).Where(double.IsFinite).ToList();
        if (floats.Count == 0) return Plain;
        int decimals = -1;
        for (int d = 0; d <= 4 && decimals < 0; d++)
            if (floats.All(v => Math.Abs(v - Math.Round(v, d)) <= 1e-9 * Math.Max(1, Math.Abs(v)))) decimals = d;
        if (decimals < 0)
        {
            double max = floats.Max(Math.Abs);
            decimals = max == 0 ? 0 : Math.Clamp(3 - (int)Math.Floor(Math.Log10(max)), 0, 4);
        }
        bool scientific = floats.Any(v => v != 0 && Math.Round(v, decimals) == 0);
        string fmt = scientific ? "0.###e+0" : "F" + decimals;
        return v => IsFloating(v)
            ? ToDouble(v) is var d && double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "inf" : "-inf") : d.ToString(fmt, inv)
            : Plain(v);
    }

    // ---- Output -----------------------------------------------------------------------------------

    /// <summary>The table as aligned plain text: header, a rule of dashes, rows; columns two spaces apart.</summary>
    public string ToText()
    {
        var cells = CellTexts();
        int n = this.columns.Length;
        var widths = Enumerable.Range(0, n).Select(j => Math.Max(this.columns[j].Length, cells.Select(r => r[j].Length).DefaultIfEmpty(0).Max())).ToArray();
        var right = Enumerable.Range(0, n).Select(IsRightAligned).ToArray();
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(Title)) sb.Append(Title).Append('\n');
        string Line(IReadOnlyList<string> row) =>
            string.Join("  ", Enumerable.Range(0, n).Select(j => right[j] ? row[j].PadLeft(widths[j]) : row[j].PadRight(widths[j]))).TrimEnd();
        sb.Append(Line(this.columns)).Append('\n');
        sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in cells) sb.Append(Line(row)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The table as an HTML &lt;table&gt; (every text escaped, alignment inline).</summary>
    public string ToHtml()
    {
        var cells = CellTexts();
        var align = Enumerable.Range(0, this.columns.Length).Select(j => IsRightAligned(j) ? "right" : "left").ToArray();
        var sb = new StringBuilder("<table class=\"cnn-table\">\n");
        if (!string.IsNullOrEmpty(Title)) sb.Append("<caption>").Append(WebUtility.HtmlEncode(Title)).Append("</caption>\n");
        sb.Append("<thead><tr>");
        for (int j = 0; j < this.columns.Length; j++)
            sb.Append("<th style=\"text-align: ").Append(align[j]).Append("\">").Append(WebUtility.HtmlEncode(this.columns[j])).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in cells)
        {
            sb.Append("<tr>");
            for (int j = 0; j < row.Length; j++)
                sb.Append("<td style=\"text-align: ").Append(align[j]).Append("\">").Append(WebUtility.HtmlEncode(row[j])).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>");
        return sb.ToString();
    }

    /// <summary>The table in GitHub-flavoured Markdown (pipes in cells escaped).</summary>
    public string ToMarkdown()
    {
        var cells = CellTexts();
        static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", this.columns.Select(Cell))).Append(" |\n");
        sb.Append('|').Append(string.Join("|", Enumerable.Range(0, this.columns.Length).Select(j => IsRightAligned(j) ? "---:" : ":---"))).Append("|\n");
        foreach (var row in cells) sb.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        return sb.ToString();
    }

    /// <summary>The table as CSV (RFC 4180 quoting), with the formatted cell texts.</summary>
    public string ToCsv()
    {
        static string Q(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var sb = new StringBuilder();
        sb.Append(string.Join(",", this.columns.Select(Q))).Append('\n');
        foreach (var row in CellTexts()) sb.Append(string.Join(",", row.Select(Q))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Saves the table by the file's extension: .html, .md, .csv, else plain text. Returns the path.</summary>
    public string Save(string path) => FileOutput.WriteText(path, Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" or ".htm" => ToHtml() + "\n",
        ".md" => ToMarkdown(),
        ".csv" => ToCsv(),
        _ => ToText(),
    });

    /// <summary>The plain-text form.</summary>
    public override string ToString() => ToText();
}

/// <summary>Formats a <see cref="Table"/>: HTML and aligned plain text.</summary>
public sealed class TableFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<Table>(MimeTypes.Html, t => t.ToHtml());
        yield return ConventionFormatter.For<Table>(MimeTypes.PlainText, t => t.ToText());
    }
}
