using System.Text.Json;
using CnnCourse.Visualization;
using SkiaSharp;

namespace CnnCourse.Tests.Visualization;

/// <summary>
/// Scatter, bar and heatmap charts and rows of charts, each described once and rendered twice like
/// <see cref="LineChartRenderingTests"/>: what the description holds comes back out of the Plotly JSON,
/// and the ScottPlot PNG decodes (with SkiaSharp) at the chart's size, in the chart's colours, the
/// same bytes each time.
/// </summary>
public class ChartRenderingTests
{
    private static readonly string[] Models = ["LeNet", "VGG-11", "ResNet-18"];
    private static readonly double[] Parameters = [61_706, 9_231_114, 11_181_642];
    private static readonly double[] Accuracy = [71.2, 86.5, 90.1];
    private static readonly string[] Classes = ["cat", "dog", "owl"];
    private static readonly int[,] Counts = { { 50, 8, 2 }, { 5, 40, 0 }, { 1, 0, 9 } };

    private static ScatterChart Scatter() =>
        Chart.Scatter("Accuracy vs parameters", "parameters", "test accuracy (%)", logX: true)
             .Add("CNNs", Parameters, Accuracy, Models)
             .Add("baseline", 1e5, 60, "MLP");

    private static BarChart Bars() =>
        Chart.Bar(Classes, "Recall per class", "class", "recall (%)")
             .Add("LeNet", [62.5, 70, 41]).Add("ResNet", [88.0, 91, 77]).ShowValues("0.0");

    private static Heatmap Confusion() => Chart.ConfusionMatrix(Counts, Classes);

    private static FigureRow Row() =>
        Chart.Row("One run", Chart.Line("Loss", "epoch", "loss").Add("train", [2.0, 1.2, 0.8]), Bars());

    private static JsonElement Json(Figure figure) => JsonDocument.Parse(figure.ToPlotlyJson()).RootElement;

    private static string Title(JsonElement axis) => axis.GetProperty("title").GetProperty("text").GetString()!;

    [Fact]
    public void Scatter_json_carries_groups_points_labels_log_axis_and_units()
    {
        var figure = Json(Scatter());
        var data = figure.GetProperty("data");
        Assert.Equal(["CNNs", "baseline"], data.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(Parameters, data[0].GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(Accuracy, data[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(Models, data[0].GetProperty("text").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["MLP"], data[1].GetProperty("text").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("markers+text", data[0].GetProperty("mode").GetString());
        Assert.Equal([Palette.Cycle(0), Palette.Cycle(1)], data.EnumerateArray().Select(t => t.GetProperty("marker").GetProperty("color").GetString()));
        var layout = figure.GetProperty("layout");
        Assert.Equal("Accuracy vs parameters", Title(layout));
        Assert.Equal("parameters", Title(layout.GetProperty("xaxis")));
        Assert.Equal("log", layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("test accuracy (%)", Title(layout.GetProperty("yaxis")));
    }

    [Fact]
    public void Bar_json_carries_categories_series_values_and_their_printed_form()
    {
        var figure = Json(Bars());
        var data = figure.GetProperty("data");
        Assert.Equal(["LeNet", "ResNet"], data.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.All(data.EnumerateArray(), t => Assert.Equal("bar", t.GetProperty("type").GetString()));
        Assert.All(data.EnumerateArray(), t => Assert.Equal(Classes, t.GetProperty("x").EnumerateArray().Select(v => v.GetString())));
        Assert.Equal([88.0, 91, 77], data[1].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(["62.5", "70.0", "41.0"], data[0].GetProperty("text").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(Palette.Cycle(1), data[1].GetProperty("marker").GetProperty("color").GetString());
        var layout = figure.GetProperty("layout");
        Assert.Equal("group", layout.GetProperty("barmode").GetString());
        Assert.Equal("class", Title(layout.GetProperty("xaxis")));
        Assert.Equal("recall (%)", Title(layout.GetProperty("yaxis")));
        Assert.False(Json(Chart.Bar(Classes).Add("s", [1.0, 2, 3])).GetProperty("data")[0].TryGetProperty("text", out _), "no values unless asked");
    }

    [Fact]
    public void Confusion_matrix_json_colours_by_row_share_prints_counts_and_puts_row_0_on_top()
    {
        var trace = Json(Confusion()).GetProperty("data")[0];
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal(Classes, trace.GetProperty("x").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(Classes, trace.GetProperty("y").EnumerateArray().Select(v => v.GetString()));
        // Colours by each row's share (row 2: 1 + 0 + 9 = 10), the counts themselves in the cells.
        Assert.Equal([0.1, 0.0, 0.9], trace.GetProperty("z")[2].EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(["1", "0", "9"], trace.GetProperty("text")[2].EnumerateArray().Select(v => v.GetString()));
        Assert.Equal((0.0, 1.0), (trace.GetProperty("zmin").GetDouble(), trace.GetProperty("zmax").GetDouble()));
        var layout = Json(Confusion()).GetProperty("layout");
        Assert.Equal("Confusion matrix", Title(layout));
        Assert.Equal("predicted", Title(layout.GetProperty("xaxis")));
        Assert.Equal("true", Title(layout.GetProperty("yaxis")));
        Assert.Equal("reversed", layout.GetProperty("yaxis").GetProperty("autorange").GetString());
    }

    [Fact]
    public void Row_json_is_one_grid_with_each_charts_traces_on_its_own_axes()
    {
        var figure = Json(Row());
        var layout = figure.GetProperty("layout");
        Assert.Equal("One run", Title(layout));
        Assert.Equal(2, layout.GetProperty("grid").GetProperty("columns").GetInt32());
        Assert.Equal(640 + 640, layout.GetProperty("width").GetInt32());
        var data = figure.GetProperty("data");
        Assert.Equal(["train", "LeNet", "ResNet"], data.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["x", "x2", "x2"], data.EnumerateArray().Select(t => t.GetProperty("xaxis").GetString()));
        Assert.Equal("loss", Title(layout.GetProperty("yaxis")));
        Assert.Equal("recall (%)", Title(layout.GetProperty("yaxis2")));
        // Each chart's title above its own subplot.
        Assert.Equal(["Loss", "Recall per class"], layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
        Assert.Equal("x2 domain", layout.GetProperty("annotations")[1].GetProperty("xref").GetString());
    }

    public static TheoryData<string> Kinds() => ["scatter", "bar", "heatmap", "row"];

    private static Figure Create(string kind) => kind switch
    {
        "scatter" => Scatter(),
        "bar" => Bars(),
        "heatmap" => Confusion(),
        "row" => Row(),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_png_decodes_at_the_charts_size_and_is_the_same_bytes_each_time(string kind)
    {
        var figure = Create(kind);
        using var bitmap = SKBitmap.Decode(figure.ToPng());
        Assert.NotNull(bitmap);
        Assert.Equal((figure.Width, figure.Height), (bitmap.Width, bitmap.Height));
        Assert.Equal(figure.ToPng(), Create(kind).ToPng());
    }

    [Fact]
    public void Sizes_carry_over_to_the_png_and_a_row_is_as_wide_as_its_charts()
    {
        using var bar = SKBitmap.Decode(Bars().Size(480, 300).ToPng());
        Assert.Equal((480, 300), (bar.Width, bar.Height));
        var row = Chart.Row(Chart.Line().Add("a", [1.0, 2]).Size(300, 200), Confusion().Size(400, 350));
        using var both = SKBitmap.Decode(row.ToPng());
        Assert.Equal((700, 350), (both.Width, both.Height));
        // The overall title takes a strip above the charts, as tall as ScottPlot makes a title.
        var titled = Chart.Row("Both", Chart.Line().Add("a", [1.0, 2]).Size(300, 200));
        Assert.InRange(titled.Height - 200, 10, 60);
    }

    [Fact]
    public void The_pngs_draw_the_series_colours()
    {
        using var scatter = SKBitmap.Decode(Scatter().ToPng());
        Assert.True(LineChartRenderingTests.Pixels(scatter, Palette.Cycle(0)) > 50, "the CNNs' markers (tab10 blue)");
        Assert.True(LineChartRenderingTests.Pixels(scatter, Palette.Cycle(1)) > 20, "the baseline's marker (tab10 orange)");
        using var bars = SKBitmap.Decode(Bars().ToPng());
        Assert.True(LineChartRenderingTests.Pixels(bars, Palette.Cycle(0)) > 1000, "LeNet's bars");
        Assert.True(LineChartRenderingTests.Pixels(bars, Palette.Cycle(1)) > 1000, "ResNet's bars");
        using var row = SKBitmap.Decode(Row().ToPng());
        Assert.True(LineChartRenderingTests.Pixels(row, Palette.Cycle(1)) > 1000, "the bars of the row's second chart");
    }

    [Fact]
    public void The_heatmap_png_draws_the_colour_maps_ends_and_white_text_on_the_darkest_cells()
    {
        using var bitmap = SKBitmap.Decode(Confusion().ToPng());
        // Row shares run from 0 (the map's lightest colour) to 0.9 (near its darkest); the colour bar shows both ends.
        Assert.True(LineChartRenderingTests.Pixels(bitmap, Colormap.Blues[0].Hex) > 500, "the lightest blue");
        Assert.True(LineChartRenderingTests.Pixels(bitmap, Colormap.Blues[0.9].Hex) > 500, "the dark blue of the diagonal");
        Assert.True(LineChartRenderingTests.Pixels(bitmap, "#ffffff") > 1000, "the background and the counts on dark cells");
        // Without cell values the picture differs: the values are drawn.
        Assert.NotEqual(Confusion().ToPng(), Confusion().CellFormat(null).ToPng());
    }

    [Fact]
    public void Edge_cases_render()
    {
        var big = new double[12, 64];
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 64; j++) big[i, j] = Math.Sin(i + j);
        Figure[] figures =
        [
            Chart.Heatmap(big, title: "64 channels"),
            Chart.Heatmap(new[,] { { -1.0, double.NaN }, { 0.5, 1 } }).WithColormap(Colormap.RdBu),
            Chart.Bar(Enumerable.Range(1, 16).Select(i => $"conv{i}_1 (3x3)"), "many long names").Add("MACs", Enumerable.Range(1, 16).Select(i => i * 1.5)),
            Chart.Bar(["a", "b"]).Add("signed", [-2.0, double.NaN]).YRange(-5, 5),
            Chart.Scatter("log both", "x", "y", logX: true, logY: true).Add("g", [0.0, 1, 10, double.NaN], [1.0, 100, -1, 5]),
            Chart.Scatter().Add("unlabelled", [1.0, 2], [3.0, 4]).XRange(0, 10),
        ];
        foreach (var figure in figures)
        {
            using var bitmap = SKBitmap.Decode(figure.ToPng());
            Assert.Equal((figure.Width, figure.Height), (bitmap.Width, bitmap.Height));
        }
    }

    [Fact]
    public void Bad_input_is_an_argument_error_that_says_what_was_wrong()
    {
        Assert.Contains("1 values but the chart has 2 categories",
            Assert.Throws<ArgumentException>(() => Chart.Bar(["a", "b"]).Add("s", [1.0])).Message);
        Assert.Contains("at least one category", Assert.Throws<ArgumentException>(() => Chart.Bar([])).Message);
        Assert.Contains("2 x values, 1 y values and 2 labels",
            Assert.Throws<ArgumentException>(() => Chart.Scatter().Add("g", [1.0, 2], [1.0], ["a", "b"])).Message);
        Assert.Contains("2 rows but 1 row labels", Assert.Throws<ArgumentException>(() => Chart.Heatmap(new double[2, 2], ["only one"])).Message);
        Assert.Contains("at least one row", Assert.Throws<ArgumentException>(() => Chart.Heatmap(new double[0, 3])).Message);
        Assert.Contains("at least one figure", Assert.Throws<ArgumentException>(() => Chart.Row()).Message);
        Assert.Contains("3 x values but 2 y values", Assert.Throws<ArgumentException>(() => Chart.Line().Add("a", [1.0, 2, 3], [1.0, 2])).Message);
        Assert.Throws<ArgumentException>(() => Chart.Line().Add("a", [1.0]).YRange(double.NaN, 1));
    }

    [Fact]
    public void Saving_writes_the_png_and_the_plotly_json()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"cnn-charts-{Guid.NewGuid():N}");
        try
        {
            Assert.Equal(Row().ToPng(), File.ReadAllBytes(Row().SavePng(Path.Combine(dir, "sub", "row.png"))));
            Assert.Equal(Bars().ToPlotlyJson(), File.ReadAllText(Bars().SavePlotlyJson(Path.Combine(dir, "bars.json"))));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Html_is_an_img_of_the_png_and_text_is_one_line()
    {
        var bars = Bars();
        Assert.Equal($"<img src=\"data:image/png;base64,{bars.ToBase64Png()}\" width=\"640\" height=\"400\" alt=\"Recall per class\"/>", bars.ToHtml());
        Assert.Equal("BarChart \"Recall per class\": 3 categories x 2 series (LeNet, ResNet)", bars.ToString());
        Assert.Equal("Heatmap \"Confusion matrix\": 3 x 3", Confusion().ToString());
        Assert.StartsWith("FigureRow \"One run\": LineChart \"Loss\"", Row().ToString());
    }
}
