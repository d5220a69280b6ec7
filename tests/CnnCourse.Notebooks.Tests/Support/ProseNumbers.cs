using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// Finds the measured numbers of a notebook's prose and checks that its outputs print them (DESIGN §7: every
/// number in prose is computed and printed by the code, or guarded by <c>Check</c>). The rule is written out in
/// <see cref="ProseNumberTests"/>; this class implements it in three steps: <see cref="Mask"/> hides what is not
/// prose, <see cref="Sentences"/> cuts the rest into sentences, <see cref="Measured"/> picks the numbers with a unit
/// of measurement from the sentences that cite no source, and <see cref="Unsupported"/> looks each one up among
/// the numbers of the notebook's outputs and code cells.
/// </summary>
internal static partial class ProseNumbers
{
    /// <summary>What stands in for a character that is not prose (code, LaTeX, a link): no digit, letter, space or stop.</summary>
    private const char Hidden = '\uFFFC';

    /// <summary>A measured number of the prose that neither an output nor a code cell has.</summary>
    public sealed record Finding(string Notebook, string Cell, string Number, string Sentence)
    {
        public override string ToString() => $"{Notebook}, {Cell}: {Number} is in no output: \"{Sentence}\"";
    }

    /// <summary>What a unit measures. Numbers of different kinds never back each other: "2.60 MB" is no "2.6-fold".</summary>
    public enum Kind
    {
        /// <summary>No unit written next to the number: a table cell under a header that names it, a code literal.</summary>
        None,
        Percent,
        Time,
        Ratio,
        Rate,
        Count,
        Bytes,
    }

    /// <summary>
    /// A value and the precision it was written to (0.1 for "90.5"; 0 for a code literal, which is exact), in the base
    /// unit of its kind: a fraction for a percentage, seconds, a plain count, bytes.
    /// </summary>
    public readonly record struct Quantity(decimal Value, decimal Precision, Kind Kind);

    /// <summary>
    /// A measured number of the prose: its text (with its unit), its sentence, and its two readings: as written (what
    /// a table cell under a header with the unit prints) and in the base unit of its kind.
    /// </summary>
    public sealed record ProseNumber(string Text, string Sentence, Quantity AsWritten, Quantity InBaseUnit);

    /// <summary>Every measured number of the notebook's markdown that its outputs and code cells lack.</summary>
    public static IReadOnlyList<Finding> Unsupported(Notebook notebook)
    {
        var printed = Evidence(notebook);
        var findings = new List<Finding>();
        int markdownCell = 0;
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            if (!IsMarkdown(notebook.Cells[i])) continue;
            markdownCell++;
            foreach (var number in Measured(notebook.Cells[i].Source))
            {
                if (!printed.Any(p => Backs(p, number.AsWritten) || Backs(p, number.InBaseUnit)))
                    findings.Add(new Finding(notebook.Path, $"cell {i + 1} (markdown cell {markdownCell})", number.Text, number.Sentence));
            }
        }
        return findings;
    }

    /// <summary>
    /// A printed number backs a prose reading when it has no unit or one of the same kind, is written at least as
    /// precisely and rounds to it: 90.47 backs "90.5%", 90.5 does not back "90.47%". A code literal is exact, so it
    /// backs only the value itself.
    /// </summary>
    private static bool Backs(Quantity printed, Quantity prose) =>
        (printed.Kind == Kind.None || printed.Kind == prose.Kind)
        && printed.Precision <= prose.Precision
        && Math.Abs(printed.Value - prose.Value) <= prose.Precision / 2;

    /// <summary>Markdown cells, and Polyglot code cells in its markdown kernel.</summary>
    private static bool IsMarkdown(NotebookCell cell) => cell.CellType == NotebookCell.Markdown || cell.IsCode && cell.KernelName is "markdown" or "md";

    // ---- The prose ------------------------------------------------------------------------------------------

    /// <summary>The measured numbers of one markdown text, in order, each with its sentence.</summary>
    public static IReadOnlyList<ProseNumber> Measured(string markdown)
    {
        markdown = markdown.Replace("\r\n", "\n");
        string masked = Mask(markdown);
        var numbers = new List<ProseNumber>();
        foreach (var (start, end) in Sentences(masked))
        {
            string sentence = Whitespace().Replace(markdown[start..end], " ").Trim();
            if (Citation().IsMatch(sentence)) continue;
            numbers.AddRange(MeasuredIn(masked[start..end], sentence));
        }
        return numbers;
    }

    /// <summary>
    /// The text with everything that is not a statement in words hidden (each character but line breaks replaced,
    /// so offsets stay): fenced and inline code, LaTeX ($…$, $$…$$, \(…\), \[…\]), links and images with their
    /// text, bare URLs, HTML tags, and the Exercises sections.
    /// </summary>
    public static string Mask(string markdown)
    {
        var text = new StringBuilder(markdown);
        foreach (var pattern in (Regex[])[FencedCode(), InlineCode(), DisplayMath(), InlineMath(), Link(), Url(), HtmlTag()])
        {
            foreach (Match match in pattern.Matches(text.ToString()))
                Hide(text, match.Index, match.Length);
        }
        HideExercises(text);
        return text.ToString();
    }

    private static void Hide(StringBuilder text, int start, int length)
    {
        for (int i = start; i < start + length; i++)
        {
            if (text[i] != '\n') text[i] = Hidden;
        }
    }

    /// <summary>From an "Exercises" heading to the next heading of its level or above: tasks and questions for the reader.</summary>
    private static void HideExercises(StringBuilder text)
    {
        string current = text.ToString();
        int? hiding = null;
        int offset = 0;
        foreach (string line in current.Split('\n'))
        {
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                int level = heading.Groups["level"].Length;
                if (hiding is int open && level <= open) hiding = null;
                if (ExercisesTitle().IsMatch(heading.Groups["title"].Value)) hiding = level;
            }
            if (hiding is not null) Hide(text, offset, line.Length);
            offset += line.Length + 1;
        }
    }

    /// <summary>
    /// The sentences of a masked text as (start, end) offsets: blocks end at blank lines, and at every heading,
    /// list item, table row and quote; inside a block, a sentence ends at '.', '!' or '?' followed by a space and a
    /// capital, a digit or an opening mark, except after an abbreviation ("et al.", "e.g.", "vs.").
    /// </summary>
    public static IEnumerable<(int Start, int End)> Sentences(string masked)
    {
        foreach (var (blockStart, blockEnd) in Blocks(masked))
        {
            int start = blockStart;
            foreach (Match stop in SentenceStop().Matches(masked[blockStart..blockEnd]))
            {
                int end = blockStart + stop.Index + 1;
                if (Abbreviation().IsMatch(masked[start..end])) continue;
                yield return (start, end);
                start = blockStart + stop.Index + stop.Length;
            }
            if (masked[start..blockEnd].Trim().Length > 0) yield return (start, blockEnd);
        }
    }

    private static IEnumerable<(int Start, int End)> Blocks(string masked)
    {
        int start = 0;
        int offset = 0;
        bool single = false;
        foreach (string line in masked.Split('\n'))
        {
            string trimmed = line.TrimStart();
            bool blank = line.All(c => char.IsWhiteSpace(c) || c == Hidden);
            bool opens = blank || BlockMarker().IsMatch(trimmed);
            if ((opens || single) && offset > start) yield return (start, offset - 1);
            if (opens || single) start = offset;
            single = trimmed.StartsWith('#') || trimmed.StartsWith('|');
            offset += line.Length + 1;
        }
        if (masked.Length > start) yield return (start, masked.Length);
    }

    /// <summary>The numbers of one masked sentence that carry a unit of measurement, or share one with the next number of a list.</summary>
    private static IEnumerable<ProseNumber> MeasuredIn(string masked, string sentence)
    {
        var tokens = NumberInProse().Matches(masked).ToList();
        var units = tokens.Select(t => UnitAfter(masked, t)).ToArray();
        // "869 → 664 → 779 img/s", "132.9 to 143.7 million", "11.5% and 9.5%": a number without a unit takes the
        // unit of the number it is listed with.
        for (int i = tokens.Count - 2; i >= 0; i--)
        {
            if (units[i] is null && units[i + 1] is { } next)
            {
                string between = masked[(tokens[i].Index + tokens[i].Length)..tokens[i + 1].Index];
                if (ListSeparator().IsMatch(between)) units[i] = next;
            }
        }
        for (int i = 0; i < tokens.Count; i++)
        {
            if (units[i] is not { } unit) continue;
            string digits = tokens[i].Value;
            if (!TryParse(Ungrouped(digits), out decimal value)) continue;
            decimal precision = Precision(digits);
            yield return new ProseNumber(digits + Whitespace().Replace(unit.Text, " "), sentence,
                new Quantity(value, precision, Kind.None), new Quantity(value * unit.Scale, precision * unit.Scale, unit.Kind));
        }
    }

    /// <summary>A unit of measurement right after a number: its text, its kind, and its size in the base unit of its kind.</summary>
    private sealed record Unit(string Text, Kind Kind, decimal Scale);

    private static Unit? UnitAfter(string text, Match number)
    {
        var unit = UnitPattern().Match(text, number.Index + number.Length);
        if (!unit.Success) return null;
        string name = unit.Value.Trim();
        // "the 1990s" is a decade, not seconds.
        if (unit.Value == "s" && !number.Value.Contains('.') && number.Value.Length == 4) return null;
        if (unit.Groups["percent"].Success) return new Unit(unit.Value, Kind.Percent, 0.01m);
        if (unit.Groups["ratio"].Success) return new Unit(unit.Value, Kind.Ratio, 1m);
        if (unit.Groups["rate"].Success) return new Unit(unit.Value, Kind.Rate, 1m);
        if (unit.Groups["time"].Success)
        {
            return new Unit(unit.Value, Kind.Time, name switch
            {
                "ms" => 1e-3m,
                "µs" or "μs" => 1e-6m,
                _ when name.StartsWith("min", StringComparison.Ordinal) => 60m,
                _ when name.StartsWith("hour", StringComparison.Ordinal) => 3600m,
                _ => 1m,
            });
        }
        if (unit.Groups["bytes"].Success)
        {
            return new Unit(unit.Value, Kind.Bytes, name switch
            {
                "KB" or "kB" => 1e3m,
                "MB" => 1e6m,
                "GB" => 1e9m,
                "KiB" => 1024m,
                "MiB" => 1024m * 1024,
                _ => 1024m * 1024 * 1024,
            });
        }
        return new Unit(unit.Value, Kind.Count, unit.Groups["scale"].Value switch
        {
            "thousand" => 1e3m,
            "million" or "M" => 1e6m,
            "billion" or "G" or "B" => 1e9m,
            _ => 1m,
        });
    }

    // ---- What the notebook prints and writes --------------------------------------------------------------------

    /// <summary>
    /// The numbers of every output the reader sees (streams; text/plain, text/markdown and text/html, the tags
    /// stripped) with their written precision and the unit written after them, and the numeric literals of the code
    /// cells, exact and without a unit.
    /// </summary>
    private static HashSet<Quantity> Evidence(Notebook notebook)
    {
        var printed = new HashSet<Quantity>();
        foreach (var cell in notebook.Cells.Where(c => c.IsCode && !IsMarkdown(c)))
        {
            foreach (Match literal in CodeNumber().Matches(cell.Source))
            {
                if (TryParse(literal.Value.Replace("_", ""), out decimal value)) printed.Add(new Quantity(value, 0, Kind.None));
            }
            foreach (string text in OutputTexts(cell))
            {
                foreach (Match number in OutputNumber().Matches(text))
                {
                    if (!TryParse(Ungrouped(number.Value), out decimal value)) continue;
                    decimal precision = Precision(number.Value);
                    printed.Add(UnitAfter(text, number) is { } unit
                        ? new Quantity(value * unit.Scale, precision * unit.Scale, unit.Kind)
                        : new Quantity(value, precision, Kind.None));
                }
            }
        }
        return printed;
    }

    private static IEnumerable<string> OutputTexts(NotebookCell cell)
    {
        foreach (var output in cell.Json["outputs"]?.AsArray() ?? [])
        {
            if (output is not JsonObject o) continue;
            if (o["text"] is { } stream) yield return MultilineText.Join(stream);
            if (o["data"] is not JsonObject data) continue;
            if (data["text/plain"] is { } plain) yield return MultilineText.Join(plain);
            if (data["text/markdown"] is { } markdown) yield return MultilineText.Join(markdown);
            if (data["text/html"] is { } html) yield return WebUtility.HtmlDecode(HtmlTag().Replace(MultilineText.Join(html), " "));
        }
    }

    private static string Ungrouped(string number) => ThousandsSeparator().Replace(number, "");

    /// <summary>False for a number beyond 10¹⁸ (3.4E+38, a hash's digits), which no prose number is, so scaling it cannot overflow.</summary>
    private static bool TryParse(string number, out decimal value) =>
        decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && Math.Abs(value) < 1e18m;

    /// <summary>The value of the last written digit: 0.01 for "90.47", 1 for "90", 0.001 for "1.0E-003".</summary>
    private static decimal Precision(string number)
    {
        var parts = DecimalsAndExponent().Match(number);
        int exponent = parts.Groups["exponent"].Success ? int.Parse(parts.Groups["exponent"].Value, CultureInfo.InvariantCulture) : 0;
        int digits = Math.Clamp(parts.Groups["decimals"].Length - exponent, -28, 28);
        return digits >= 0 ? new decimal(1, 0, 0, false, (byte)digits) : (decimal)Math.Pow(10, -digits);
    }

    // ---- Patterns ------------------------------------------------------------------------------------------------

    [GeneratedRegex(@"^(?:```|~~~)[^\n]*\n[\s\S]*?(?:^(?:```|~~~)[^\n]*$|\z)", RegexOptions.Multiline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"(`+)[\s\S]+?\1")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\$\$[\s\S]*?\$\$|\\\[[\s\S]*?\\\]")]
    private static partial Regex DisplayMath();

    [GeneratedRegex(@"\$(?:\\.|[^$\\])+?\$|\\\([\s\S]*?\\\)")]
    private static partial Regex InlineMath();

    /// <summary>A link or image with its text: [text](target), ![alt](target), [text][ref], &lt;https://…&gt;.</summary>
    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\](?:\([^)]*\)|\[[^\]]*\])|<https?://[^>\s]+>")]
    private static partial Regex Link();

    [GeneratedRegex(@"https?://[^\s)>\]]+")]
    private static partial Regex Url();

    [GeneratedRegex(@"</?[A-Za-z!][^<>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"^\s{0,3}(?<level>#{1,6})\s+(?<title>.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\W*exercises?\b", RegexOptions.IgnoreCase)]
    private static partial Regex ExercisesTitle();

    /// <summary>The start of a line that opens a block of its own: heading, list item, table row, quote, rule.</summary>
    [GeneratedRegex(@"^(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\||>|---)")]
    private static partial Regex BlockMarker();

    [GeneratedRegex("[.!?][\"')*_\u201D\u2019]*\\s+(?=[\\p{Lu}\\p{N}(\\[*_\"\u201C\uFFFC])")]
    private static partial Regex SentenceStop();

    [GeneratedRegex(@"(?:\bet al|\be\.g|\bi\.e|\bvs|\bcf|\bFigs?|\bEqs?|\bapprox|\bresp)\.$", RegexOptions.IgnoreCase)]
    private static partial Regex Abbreviation();

    /// <summary>
    /// A sentence that cites a source: "et al.", a paper, a numbered table, figure or section, something published,
    /// documentation, "cited", "according to", a URL.
    /// </summary>
    [GeneratedRegex(@"\bet\s+al\b | \bpapers?\b | \b(?:table|figure|fig\.|eq\.)\s*\d | § | \bpublish(?:ed|es)?\b | \bdocumentation\b
        | \bcit(?:e|es|ed|ing)\b | \baccording\s+to\b | https?://", RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Citation();

    /// <summary>
    /// A number in prose: digits, thousands grouped by commas or thin spaces, a decimal part; not part of a name
    /// ("ResNet-50", "B0", "top-1", "3-4-6-3") or of a longer number.
    /// </summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}_.,])(?<![\p{L}\p{N}][-\u2010])(?:\d{1,3}(?:[,\u00A0\u2009\u202F]\d{3})+|\d+)(?:\.\d+)?(?![\p{N}])")]
    private static partial Regex NumberInProse();

    /// <summary>
    /// The units of measurement that make a prose number a result: a percentage or percentage points; a duration;
    /// a ratio (2.37×, 2.6-fold, 3 times; not the 3 of "3×3" or "3 × H"); a rate per second; a count scaled by a
    /// power of ten (132.9 million, 4.2 M, 19.63 GMACs) or of MACs, FLOPs or bytes.
    /// </summary>
    [GeneratedRegex(@"\G(?:
          (?<percent>\s?%|\s(?:per\s?cent|percent)\b|\s(?:percentage\s)?points?\b)
        | (?<time>\s?(?:ms|µs|μs|s|secs?|seconds?|mins?|minutes?|hours?)\b)
        | (?<ratio>\s?×(?!\s*(?:\p{N}|\p{L}(?!\p{L})))|x(?![\p{L}\p{N}])|-?fold\b|\stimes\b)
        | (?<rate>\s?(?:img|imgs|images?|samples?|examples?|steps?|batches?|it|tokens?)\s?(?:/\s?s(?:ec)?\b|per\s(?:second|sec)\b|a\ssecond\b))
        | (?<count>\s?(?<scale>thousand|million|billion|M|G|B)?(?:MACs|FLOPs|mult-adds|multiply-adds)\b
                  | \s?(?<scale>thousand|million|billion|M|G|B)(?![\p{L}\p{N}]))
        | (?<bytes>\s?(?:KB|kB|MB|GB|KiB|MiB|GiB)\b)
        )", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex UnitPattern();

    /// <summary>What joins the numbers of a list that share one unit: "→", "–", ",", "to", "and", "or", "vs".</summary>
    [GeneratedRegex(@"^\s*(?:,\s*(?:and|or)?|→|–|—|to|and|or|vs\.?|versus|then)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@"(?<![\d.])(?:\d{1,3}(?:[,\u00A0\u2009\u202F]\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?")]
    private static partial Regex OutputNumber();

    /// <summary>A C# numeric literal (10_000, 0.9, 5e-4, 1.5f), not the digits of a name (conv1).</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}_.])\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?")]
    private static partial Regex CodeNumber();

    [GeneratedRegex("[,\u00A0\u2009\u202F]")]
    private static partial Regex ThousandsSeparator();

    [GeneratedRegex(@"(?:\.(?<decimals>\d+))?(?:[eE](?<exponent>[+-]?\d+))?$")]
    private static partial Regex DecimalsAndExponent();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
