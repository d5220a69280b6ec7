namespace CnnCourse.Visualization;

/// <summary>
/// Entry point for the course's charts. Each method returns a chart to fill with the fluent
/// <c>Add</c> calls; in a notebook the chart shows as one output holding a PNG (ScottPlot) and its
/// Plotly figure, and it saves with <c>SavePng</c> or <c>SavePlotlyJson</c>.
/// </summary>
/// <example><code>
/// Chart.Line("Loss", "epoch", "loss").Add("train", trainLoss).Add("validation", valLoss)
/// Chart.Bar(classNames, "Recall per class").Add("LeNet", recall).ShowValues("0.00")
/// Chart.Scatter("Parameters vs accuracy", "parameters", "accuracy").LogScaleX().Add("models", ps, accs, names)
/// Chart.ConfusionMatrix(counts, classNames)
/// </code></example>
public static class Chart
{
    /// <summary>A line chart; add series with <see cref="LineChart.Add(string, IEnumerable{double}, IEnumerable{double}, string?, bool)"/>.</summary>
    public static LineChart Line(string? title = null, string? xLabel = null, string? yLabel = null, bool logY = false) =>
        new LineChart(title, xLabel, yLabel).LogScaleY(logY);

    /// <summary>A bar chart over the given categories; add one series per group member.</summary>
    public static BarChart Bar(IEnumerable<string> categories, string? title = null, string? xLabel = null, string? yLabel = null) =>
        new(categories, title, xLabel, yLabel);

    /// <summary>A scatter chart; add labelled groups of points.</summary>
    public static ScatterChart Scatter(string? title = null, string? xLabel = null, string? yLabel = null, bool logX = false, bool logY = false) =>
        new ScatterChart(title, xLabel, yLabel).LogScaleX(logX).LogScaleY(logY);

    /// <summary>A heatmap of <paramref name="matrix"/>[row, column] with its value in every cell.</summary>
    public static Heatmap Heatmap(double[,] matrix, IEnumerable<string>? rowLabels = null, IEnumerable<string>? colLabels = null,
                                  string? title = null, string? xLabel = null, string? yLabel = null) =>
        new(matrix, rowLabels, colLabels, title, xLabel, yLabel);

    /// <inheritdoc cref="Heatmap(double[,], IEnumerable{string}?, IEnumerable{string}?, string?, string?, string?)"/>
    public static Heatmap Heatmap(float[,] matrix, IEnumerable<string>? rowLabels = null, IEnumerable<string>? colLabels = null,
                                  string? title = null, string? xLabel = null, string? yLabel = null) =>
        new(ToDouble(matrix, v => v), rowLabels, colLabels, title, xLabel, yLabel);

    /// <inheritdoc cref="Heatmap(double[,], IEnumerable{string}?, IEnumerable{string}?, string?, string?, string?)"/>
    public static Heatmap Heatmap(int[,] matrix, IEnumerable<string>? rowLabels = null, IEnumerable<string>? colLabels = null,
                                  string? title = null, string? xLabel = null, string? yLabel = null) =>
        new(ToDouble(matrix, v => v), rowLabels, colLabels, title, xLabel, yLabel);

    /// <inheritdoc cref="Heatmap(double[,], IEnumerable{string}?, IEnumerable{string}?, string?, string?, string?)"/>
    public static Heatmap Heatmap(long[,] matrix, IEnumerable<string>? rowLabels = null, IEnumerable<string>? colLabels = null,
                                  string? title = null, string? xLabel = null, string? yLabel = null) =>
        new(ToDouble(matrix, v => v), rowLabels, colLabels, title, xLabel, yLabel);

    /// <summary>A heatmap of a jagged matrix (every row the same length).</summary>
    public static Heatmap Heatmap(IReadOnlyList<IReadOnlyList<double>> rows, IEnumerable<string>? rowLabels = null, IEnumerable<string>? colLabels = null,
                                  string? title = null, string? xLabel = null, string? yLabel = null)
    {
        int cols = rows.Count == 0 ? 0 : rows[0].Count;
        var m = new double[rows.Count, cols];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count != cols) throw new ArgumentException($"Row {i} has {rows[i].Count} values, row 0 has {cols}.", nameof(rows));
            for (int j = 0; j < cols; j++) m[i, j] = rows[i][j];
        }
        return new Heatmap(m, rowLabels, colLabels, title, xLabel, yLabel);
    }

    /// <summary>
    /// A confusion matrix: <paramref name="counts"/>[true class, predicted class], counts printed in the
    /// cells, colours by each row's share so rare classes read as clearly as common ones.
    /// </summary>
    public static Heatmap ConfusionMatrix(int[,] counts, IEnumerable<string>? classNames = null, string? title = "Confusion matrix")
    {
        var names = classNames?.ToArray();
        return new Heatmap(ToDouble(counts, v => v), names, names, title, "predicted", "true").NormalizeRows();
    }

    /// <inheritdoc cref="ConfusionMatrix(int[,], IEnumerable{string}?, string?)"/>
    public static Heatmap ConfusionMatrix(long[,] counts, IEnumerable<string>? classNames = null, string? title = "Confusion matrix")
    {
        var names = classNames?.ToArray();
        return new Heatmap(ToDouble(counts, v => v), names, names, title, "predicted", "true").NormalizeRows();
    }

    /// <summary>Charts side by side in one picture (each keeps its size), with an optional overall title.</summary>
    public static FigureRow Row(params Figure[] figures) => new(figures, null);

    /// <inheritdoc cref="Row(Figure[])"/>
    public static FigureRow Row(string title, params Figure[] figures) => new(figures, title);

    private static double[,] ToDouble<T>(T[,] m, Func<T, double> convert)
    {
        var r = new double[m.GetLength(0), m.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++) r[i, j] = convert(m[i, j]);
        return r;
    }
}
