using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>The plain-text (torchinfo's layout) and HTML forms of a <see cref="Summary"/>.</summary>
internal static class SummaryText
{
    // The cells of one visible row. A row at the display depth that has children is folded: it
    // shows its whole subtree's parameters and MACs. An expanded container shows only its own
    // (usually none: "--"), so that the column adds up to the total.
    private sealed record Cells(SummaryRow Row, string Layer, string Output, string Parameters, string Trainable, string Macs);

    private static List<Cells> Table(Summary s)
    {
        var cells = new List<Cells>();
        foreach (var r in s.VisibleRows)
        {
            bool folded = r.Depth == s.Depth && !r.IsLeaf;
            long parameters = folded ? r.TotalParameters : r.Parameters;
            long macs = folded ? r.TotalMacs : r.Macs;
            var label = r.Depth == 0 ? r.Type : $"{r.Type} ({r.LocalName})";
            if (r.Calls > 1) label += $" ×{r.Calls}";
            cells.Add(new Cells(r, Prefix(r.Depth) + label, Units.Shape(r.OutputShape),
                                parameters == 0 ? "--" : Units.Count(parameters),
                                r.Trainable switch
                                {
                                    Trainability.NoParameters => "--",
                                    Trainability.Trainable => "True",
                                    Trainability.Frozen => "False",
                                    _ => "Partial",
                                },
                                macs == 0 ? "--" : Units.Count(macs)));
        }
        return cells;
    }

    // torchinfo's tree: "├─" under the model, "│    └─" one level further, and so on.
    private static string Prefix(int depth) => depth switch
    {
        0 => "",
        1 => "├─",
        _ => string.Concat(Enumerable.Repeat("│    ", depth - 1)) + "└─",
    };

    private static bool ShowTrainable(Summary s) => s.NonTrainableParameters > 0;

    private static IEnumerable<(string Label, string Value)> Totals(Summary s)
    {
        yield return ("Total params", Units.Count(s.TotalParameters));
        yield return ("Trainable params", Units.Count(s.TrainableParameters));
        yield return ("Non-trainable params", Units.Count(s.NonTrainableParameters));
        yield return ("Total MACs (multiply-accumulates)", Both(s.TotalMacs));
        yield return ("Total FLOPs (2 × MACs)", Both(s.TotalFlops));
    }

    // "4.09 G (4,089,184,256)"; just "96" when there is nothing to scale.
    private static string Both(long count)
    {
        var scaled = Units.Scaled(count);
        var exact = Units.Count(count);
        return scaled == exact ? exact : $"{scaled} ({exact})";
    }

    private static IEnumerable<(string Label, string Value)> Memory(Summary s)
    {
        yield return ("Input size", $"{Units.Megabytes(s.InputBytes)} ({Units.DtypeName(s.InputDtype)} {Units.Shape(s.InputShape)})");
        yield return ("Forward activations", Units.Megabytes(s.ForwardActivationBytes));
        yield return ("Forward/backward pass size", $"{Units.Megabytes(s.ForwardBackwardBytes)} (2 × the outputs of every leaf layer)");
        var byDtype = s.ParameterBytesByDtype.Count switch
        {
            0 => "",
            1 => $" ({Units.DtypeName(s.ParameterBytesByDtype.Keys.First())})",
            _ => " (" + string.Join(", ", s.ParameterBytesByDtype.Select(kv => $"{Units.DtypeName(kv.Key)} {Units.Megabytes(kv.Value)}")) + ")",
        };
        yield return ("Params size", Units.Megabytes(s.ParameterBytes) + byDtype);
        yield return ("Buffers size", Units.Megabytes(s.BufferBytes));
        yield return ("Estimated total size", Units.Megabytes(s.EstimatedTotalBytes));
    }

    internal const string MacNote =
        "MACs count convolutions and linear layers (bias excluded), as torchvision's GFLOPS; BatchNorm, activations, pooling and additions count 0.";

    public static string Text(Summary s)
    {
        var rows = Table(s);
        bool trainable = ShowTrainable(s);
        var headers = new List<string> { "Layer (type (name))", "Output Shape", "Param #" };
        if (trainable) headers.Add("Trainable");
        headers.Add("MACs");
        var lines = rows.Select(c =>
        {
            var l = new List<string> { c.Layer, c.Output, c.Parameters };
            if (trainable) l.Add(c.Trainable);
            l.Add(c.Macs);
            return l;
        }).ToList();
        var widths = headers.Select((h, j) => Math.Max(h.Length, lines.Select(l => l[j].Length).DefaultIfEmpty(0).Max())).ToArray();
        widths[0] = Math.Max(widths[0], 30);
        // Counts right-aligned, text (names, shapes, the trainable flag) left-aligned.
        bool Numeric(int j) => headers[j] is "Param #" or "MACs";
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, j) =>
            Numeric(j) ? c.PadLeft(widths[j]) : c.PadRight(widths[j]))).TrimEnd();
        int width = widths.Sum() + 2 * (widths.Length - 1);
        var rule = new string('=', width);

        var sb = new StringBuilder();
        sb.Append(rule).Append('\n').Append(Line(headers)).Append('\n').Append(rule).Append('\n');
        foreach (var l in lines) sb.Append(Line(l)).Append('\n');
        sb.Append(rule).Append('\n');
        foreach (var (label, value) in Totals(s)) sb.Append(label).Append(": ").Append(value).Append('\n');
        sb.Append(rule).Append('\n');
        foreach (var (label, value) in Memory(s)) sb.Append(label).Append(": ").Append(value).Append('\n');
        sb.Append(rule).Append('\n');
        sb.Append(MacNote).Append('\n');
        return sb.ToString();
    }

    public static string Html(Summary s)
    {
        var rows = Table(s);
        bool trainable = ShowTrainable(s);
        const string right = " style=\"text-align: right\"";
        var sb = new StringBuilder("<div class=\"cnn-summary\">\n<table>\n");
        sb.Append("<caption>").Append(Units.Html($"{s.ModelName}, input {Units.Shape(s.InputShape)}")).Append("</caption>\n");
        sb.Append("<thead><tr><th style=\"text-align: left\">Layer</th><th style=\"text-align: left\">Name</th>")
          .Append("<th style=\"text-align: left\">Output Shape</th><th").Append(right).Append(">Param #</th>");
        if (trainable) sb.Append("<th>Trainable</th>");
        sb.Append("<th").Append(right).Append(">MACs</th></tr></thead>\n<tbody>\n");
        foreach (var c in rows)
        {
            var r = c.Row;
            var type = r.Calls > 1 ? $"{r.Type} ×{r.Calls}" : r.Type;
            sb.Append("<tr><td style=\"text-align: left; padding-left: ")
              .Append((0.3 + 1.5 * r.Depth).ToString("0.0", Units.Invariant)).Append("em\">").Append(Units.Html(type)).Append("</td>")
              .Append("<td style=\"text-align: left\"><code>").Append(Units.Html(r.Name)).Append("</code></td>")
              .Append("<td style=\"text-align: left\">").Append(Units.Html(c.Output)).Append("</td>")
              .Append("<td").Append(right).Append('>').Append(Units.Html(c.Parameters)).Append("</td>");
            if (trainable) sb.Append("<td>").Append(Units.Html(c.Trainable)).Append("</td>");
            sb.Append("<td").Append(right).Append('>').Append(Units.Html(c.Macs)).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n<table>\n<tbody>\n");
        foreach (var (label, value) in Totals(s).Concat(Memory(s)))
            sb.Append("<tr><th style=\"text-align: left\">").Append(Units.Html(label)).Append("</th><td style=\"text-align: left\">")
              .Append(Units.Html(value)).Append("</td></tr>\n");
        sb.Append("</tbody>\n</table>\n<p>").Append(Units.Html(MacNote)).Append("</p>\n</div>");
        return sb.ToString();
    }
}
