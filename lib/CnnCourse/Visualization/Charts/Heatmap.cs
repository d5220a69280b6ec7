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
[TypeFormatterSource(typeof(ChartFormatterSource), PreferredMimeTypes = [MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText])]
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

    internal override ScottPlot.Plot CreatePlot()
    {
        var plot = StaticChart.Create(Title, XLabel, YLabel);
        var (colors, cmin, cmax) = ColorValues();
        // ScottPlot draws row 0 of the matrix at the top; cell (i, j) is centred on x = j, y = Rows - 1 - i.
        var cells = plot.Add.Heatmap(colors);
        cells.Colormap = StaticChart.Colormap(Colormap);
        cells.ManualRange = new ScottPlot.Range(cmin, cmax);
        cells.Rectangle = new ScottPlot.CoordinateRect(-0.5, Columns - 0.5, -0.5, Rows - 0.5);
        cells.NaNCellColor = ScottPlot.Colors.White;
        plot.Add.ColorBar(cells);
        plot.HideGrid();
        plot.Axes.Margins(0, 0);
        var rowPositions = Enumerable.Range(0, Rows).Select(i => (double)(Rows - 1 - i)).ToArray();
        StaticChart.CategoryTicks(plot, plot.Axes.Left, rowPositions, RowLabels, Width, Height);
        StaticChart.CategoryTicks(plot, plot.Axes.Bottom, [.. Enumerable.Range(0, Columns).Select(j => (double)j)], ColumnLabels, Width, Height);
        if (ValueFormat is not null) WriteValues(plot, colors, cmin, cmax, rowPositions);
        return plot;
    }

    /// <summary>
    /// Writes each cell's value in it, in a size that fits the cell as ScottPlot laid it out, light on dark
    /// colours and grey for zeros; none when the cells are too small to read (large matrices).
    /// </summary>
    private void WriteValues(ScottPlot.Plot plot, double[,] colors, double cmin, double cmax, double[] rowPositions)
    {
        plot.RenderInMemory(Width, Height);
        var data = plot.LastRender.DataRect;
        double cell = Math.Min(Math.Abs(plot.Axes.Bottom.GetPixelDistance(1, data)), Math.Abs(plot.Axes.Left.GetPixelDistance(1, data)));
        var style = plot.Axes.Bottom.TickLabelStyle;
        using var paint = ScottPlot.Paint.NewDisposablePaint();
        var texts = Enumerable.Range(0, Rows).SelectMany(i => Enumerable.Range(0, Columns).Select(j => style.Measure(CellText(i, j), paint))).ToList();
        double fit = Math.Min(cell * CellFill / texts.Max(t => t.Width), cell * CellFill / texts.Max(t => t.Height));
        float size = (float)Math.Min(style.FontSize, style.FontSize * fit);
        if (size < MinimumValueFontSize) return;
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
            {
                if (!double.IsFinite(this.values[i, j])) continue;
                var background = Colormap[(colors[i, j] - cmin) / (cmax - cmin)];
                var text = plot.Add.Text(CellText(i, j), j, rowPositions[i]);
                text.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                text.LabelFontName = style.FontName;
                text.LabelFontSize = size;
                text.LabelFontColor = ScottPlot.Color.FromHex(background.Luminance < 0.33 ? "#ffffff" : this.values[i, j] == 0 ? ZeroText : Palette.Text);
            }
    }

    /// <summary>The share of a cell's width and height that its value may take.</summary>
    private const double CellFill = 0.8;

    /// <summary>Smaller cell values would not be legible.</summary>
    private const float MinimumValueFontSize = 6;

    /// <summary>Zeros in grey, so the cells that hold something stand out (a confusion matrix's mistakes).</summary>
    private const string ZeroText = "#a0a0a0";

    private string CellText(int row, int column) => this.values[row, column].ToString(ValueFormat, CultureInfo.InvariantCulture);

    public override string ToPlotlyJson()
    {
        var z = new JsonArray();
        var text = new JsonArray();
        var (colors, cmin, cmax) = ColorValues();
        for (int i = 0; i < Rows; i++)
        {
            z.Add(Plotly.Numbers(Enumerable.Range(0, Columns).Select(j => colors[i, j])));
            text.Add(Plotly.Strings(Enumerable.Range(0, Columns).Select(j => ValueFormat == null ? "" : CellText(i, j))));
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
