using System.Globalization;
using System.Text.Json.Nodes;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// A matrix drawn as coloured cells with the value printed in each, row labels on the left, column labels
/// below and a colour bar: confusion matrices (rows = true class, columns = predicted class), correlation
/// or attention maps.
/// </summary>
/// <example><code>
/// Chart.ConfusionMatrix(counts, classNames)   // counts[true, predicted]
/// Chart.Heatmap(matrix, rowLabels, colLabels, "Similarity").WithColormap(Colormap.Viridis)
/// </code></example>
[TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = [MimeTypes.Svg, MimeTypes.PlainText])]
public sealed class Heatmap : Figure<Heatmap>
{
    private readonly double[,] values;
    private (double Min, double Max)? colorRange;

    internal Heatmap(double[,] values, IEnumerable<string>? rowLabels, IEnumerable<string>? colLabels, string? title, string? xLabel, string? yLabel)
    {
        this.values = (double[,])values.Clone();
        Rows = values.GetLength(0);
        Columns = values.GetLength(1);
        if (Rows == 0 || Columns == 0) throw new ArgumentException("A heatmap needs at least one row and one column.", nameof(values));
        RowLabels = rowLabels?.ToArray() ?? Enumerable.Range(0, Rows).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        ColumnLabels = colLabels?.ToArray() ?? Enumerable.Range(0, Columns).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (RowLabels.Count != Rows) throw new ArgumentException($"The matrix has {Rows} rows but {RowLabels.Count} row labels were given.", nameof(rowLabels));
        if (ColumnLabels.Count != Columns) throw new ArgumentException($"The matrix has {Columns} columns but {ColumnLabels.Count} column labels were given.",
            nameof(colLabels));
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        bool integers = true;
        foreach (var v in this.values) integers &= !double.IsFinite(v) || v == Math.Floor(v);
        ValueFormat = integers ? "0" : "0.00";
        Width = 560;
        Height = 500;
    }

    public int Rows { get; }
    public int Columns { get; }
    public IReadOnlyList<string> RowLabels { get; }
    public IReadOnlyList<string> ColumnLabels { get; }
    public string? XLabel { get; private set; }
    public string? YLabel { get; private set; }
    public Colormap Colormap { get; private set; } = Colormap.Blues;

    /// <summary>The .NET format of the number printed in each cell; null prints none.</summary>
    public string? ValueFormat { get; private set; }

    /// <summary>Colours each cell by its share of its row (counts stay printed); for confusion matrices of unequal classes.</summary>
    public bool RowNormalizedColors { get; private set; }

    /// <summary>The value in a cell.</summary>
    public double this[int row, int column] => this.values[row, column];

    public Heatmap WithColormap(Colormap colormap)
    {
        Colormap = colormap;
        return this;
    }

    /// <summary>Prints cell values with a .NET format ("0", "0.00", "P0"), or none with null.</summary>
    public Heatmap CellFormat(string? format)
    {
        ValueFormat = format;
        return this;
    }

    /// <summary>Fixes the values at the two ends of the colour scale (values outside get the end colours).</summary>
    public Heatmap ColorRange(double min, double max)
    {
        if (!(max > min)) throw new ArgumentException($"A colour range needs min < max, got [{min}, {max}].");
        colorRange = (min, max);
        return this;
    }

    /// <summary>Colours cells by their share of the row total instead of their raw value.</summary>
    public Heatmap NormalizeRows(bool on = true)
    {
        RowNormalizedColors = on;
        return this;
    }

    /// <summary>Sets the axis titles (below the columns, beside the rows).</summary>
    public Heatmap Labels(string? xLabel, string? yLabel)
    {
        XLabel = xLabel;
        YLabel = yLabel;
        return this;
    }

    /// <summary>The value that decides a cell's colour, and the colour scale's range.</summary>
    private (double[,] Color, double Min, double Max) ColorValues()
    {
        var c = new double[Rows, Columns];
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < Rows; i++)
        {
            double rowSum = 0;
            for (int j = 0; j < Columns; j++) if (double.IsFinite(this.values[i, j])) rowSum += this.values[i, j];
            for (int j = 0; j < Columns; j++)
            {
                double v = RowNormalizedColors ? (rowSum == 0 ? 0 : this.values[i, j] / rowSum) : this.values[i, j];
                c[i, j] = v;
                if (double.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
            }
        }
        if (RowNormalizedColors) (min, max) = (0, 1);
        if (double.IsInfinity(min)) (min, max) = (0, 1);
        if (min > 0 && ValueFormat == "0") min = 0;   // counts: the scale starts at zero
        if (Colormap == Colormap.RdBu && min < 0 && max > 0) (min, max) = (-Math.Max(-min, max), Math.Max(-min, max));   // diverging: 0 in the middle
        if (colorRange is { } r) (min, max) = r;
        if (max <= min) max = min + 1;
        return (c, min, max);
    }

    public override string ToSvg()
    {
        var (colors, cmin, cmax) = ColorValues();
        const double tickFont = 11;
        double top = TopMargin;
        double rowLabelW = RowLabels.Max(l => TextMetrics.Width(l, tickFont));
        double colLabelW = ColumnLabels.Max(l => TextMetrics.Width(l, tickFont));
        var barTicks = Ticks.Linear(cmin, cmax, 6, ValueFormat == "0" && !RowNormalizedColors);
        double barLabelW = barTicks.Max(t => TextMetrics.Width(t.Label, tickFont));
        double left = 12 + (string.IsNullOrEmpty(YLabel) ? 0 : 24) + rowLabelW + 8;
        double right = 18 + 14 + 6 + barLabelW + 12;
        double provisionalCell = Math.Min((Width - left - right) / Columns, (Height - top - 60) / Rows);
        bool rotate = colLabelW + 4 > provisionalCell;
        double labelDrop = rotate ? colLabelW * 0.71 + 14 : 18;
        double bottom = 10 + labelDrop + (string.IsNullOrEmpty(XLabel) ? 0 : 22);
        double cell = Math.Max(4, Math.Min((Width - left - right) / Columns, (Height - top - bottom) / Rows));
        double gridW = cell * Columns, gridH = cell * Rows;
        left += Math.Max(0, (Width - left - right - gridW) / 2);   // centre the grid in the room left

        var svg = new SvgWriter(Width, Height, Title);
        DrawTitle(svg);
        double font = Math.Min(12, cell * 0.36);
        bool printValues = ValueFormat != null && font >= 6;
        svg.OpenGroup("cells");
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
            {
                var rgb = Colormap[(colors[i, j] - cmin) / (cmax - cmin)];
                svg.Rect(left + j * cell, top + i * cell, cell, cell, double.IsFinite(colors[i, j]) ? rgb.Hex : "#ffffff", cssClass: "cell",
                         extra: $"data-row=\"{i}\" data-col=\"{j}\"");
            }
        svg.CloseGroup();
        if (printValues)
        {
            svg.OpenGroup("values", $"font-size=\"{SvgWriter.N(font)}\" text-anchor=\"middle\"");
            for (int i = 0; i < Rows; i++)
                for (int j = 0; j < Columns; j++)
                {
                    if (!double.IsFinite(this.values[i, j])) continue;
                    var rgb = Colormap[(colors[i, j] - cmin) / (cmax - cmin)];
                    string fill = rgb.Luminance < 0.33 ? "#ffffff" : this.values[i, j] == 0 ? "#a0a0a0" : Palette.Text;
                    svg.Raw($"<text class=\"cell-value\" x=\"{SvgWriter.N(left + (j + 0.5) * cell)}\" " +
                        $"y=\"{SvgWriter.N(top + (i + 0.5) * cell + font * 0.36)}\" fill=\"{fill}\">" +
                            SvgWriter.Escape(this.values[i, j].ToString(ValueFormat, CultureInfo.InvariantCulture)) + "</text>\n");
                }
            svg.CloseGroup();
        }
        svg.Rect(left, top, gridW, gridH, "none", Palette.Frame, "frame");

        int every = Math.Max(1, (int)Math.Ceiling(13 / cell));   // labels at least 13 px apart
        svg.OpenGroup("row-labels", "font-size=\"11\" text-anchor=\"end\"");
        for (int i = 0; i < Rows; i += every)
            svg.Raw($"<text class=\"tick\" x=\"{SvgWriter.N(left - 6)}\" y=\"{SvgWriter.N(top + (i + 0.5) * cell + 4)}\" " +
                $"fill=\"{Palette.MutedText}\">{SvgWriter.Escape(RowLabels[i])}</text>\n");
        svg.CloseGroup();
        svg.OpenGroup("col-labels", "font-size=\"11\"");
        for (int j = 0; j < Columns; j += every)
        {
            double cx = left + (j + 0.5) * cell;
            if (rotate) svg.Text(cx + 4, top + gridH + 12, ColumnLabels[j], tickFont, "end", Palette.MutedText, rotate: -45, cssClass: "tick");
            else svg.Text(cx, top + gridH + 16, ColumnLabels[j], tickFont, "middle", Palette.MutedText, cssClass: "tick");
        }
        svg.CloseGroup();
        if (!string.IsNullOrEmpty(XLabel)) svg.Text(left + gridW / 2, top + gridH + labelDrop + 18, XLabel, 13, "middle", cssClass: "x-label");
        if (!string.IsNullOrEmpty(YLabel)) svg.Text(18, top + gridH / 2, YLabel, 13, "middle", rotate: -90, cssClass: "y-label");

        // Colour bar: 64 bands from the top (max) down to the bottom (min), with ticks.
        double bx = left + gridW + 18, bw = 14;
        svg.OpenGroup("colorbar");
        const int bands = 64;
        for (int k = 0; k < bands; k++)
        {
            double t = 1 - (k + 0.5) / bands;
            svg.Rect(bx, top + gridH * k / bands, bw, gridH / bands + 0.6, Colormap[t].Hex);
        }
        svg.Rect(bx, top, bw, gridH, "none", Palette.Frame);
        var sb = new Scale(cmin, cmax, top + gridH, top, false);
        foreach (var t in barTicks)
        {
            double y = sb.Map(t.Value);
            svg.Line(bx + bw, y, bx + bw + 4, y, Palette.Frame);
            svg.Text(bx + bw + 7, y + 4, t.Label, tickFont, "start", Palette.MutedText, cssClass: "tick");
        }
        svg.CloseGroup();
        return svg.ToString();
    }

    public override string ToPlotlyJson()
    {
        var z = new JsonArray();
        var text = new JsonArray();
        var (colors, cmin, cmax) = ColorValues();
        for (int i = 0; i < Rows; i++)
        {
            z.Add(Plotly.Numbers(Enumerable.Range(0, Columns).Select(j => colors[i, j])));
            text.Add(Plotly.Strings(Enumerable.Range(0, Columns).Select(j => ValueFormat == null ? ""
                : this.values[i, j].ToString(ValueFormat, CultureInfo.InvariantCulture))));
        }
        var trace = new JsonObject
        {
            ["type"] = "heatmap",
            ["z"] = z,
            ["x"] = Plotly.Strings(ColumnLabels),
            ["y"] = Plotly.Strings(RowLabels),
            ["text"] = text,
            ["texttemplate"] = "%{text}",
            ["zmin"] = cmin,
            ["zmax"] = cmax,
            ["colorscale"] = new JsonArray(Colormap.Stops().Select(s => (JsonNode?)new JsonArray(s.Position, s.Color)).ToArray()),
        };
        var layout = Plotly.Layout(Title, Width, Height);
        layout["xaxis"] = Plotly.Axis(XLabel, false, null);
        var yaxis = Plotly.Axis(YLabel, false, null);
        yaxis["autorange"] = "reversed";
        layout["yaxis"] = yaxis;
        return Plotly.Figure([trace], layout);
    }

    public override string ToString() => $"Heatmap \"{Title}\": {Rows} x {Columns}";
}
