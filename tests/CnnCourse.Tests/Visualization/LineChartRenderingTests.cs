using System.Text.Json;
using CnnCourse.Visualization;
using SkiaSharp;

namespace CnnCourse.Tests.Visualization;

/// <summary>
/// A line chart is described once and rendered twice: as Plotly figure JSON (interactive) and as a
/// PNG drawn by ScottPlot (static). Round trips: what the description holds comes back out of the
/// JSON, and the PNG decodes (with SkiaSharp, not the library's code) at the chart's size.
/// </summary>
public class LineChartRenderingTests
{
    private static readonly int[] Epochs = [1, 2, 3, 4, 5];
    private static readonly double[] TrainAccuracy = [52.0, 71, 80, 85, 88];
    private static readonly double[] ValAccuracy = [50.0, 66, 72, 74, 75];

    private static LineChart Curves() =>
        Chart.Line("Accuracy per epoch", "epoch", "accuracy (%)")
             .Add("train", Epochs, TrainAccuracy)
             .Add("validation", Epochs, ValAccuracy, dashed: true);

    [Fact]
    public void Plotly_json_carries_the_series_names_values_styles_labels_and_units()
    {
        using var doc = JsonDocument.Parse(Curves().ToPlotlyJson());
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(["train", "validation"], data.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.All(data.EnumerateArray(), t => Assert.Equal("scatter", t.GetProperty("type").GetString()));
        Assert.Equal(Epochs.Select(e => (double)e), data[0].GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(ValAccuracy, data[1].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(["solid", "dash"], data.EnumerateArray().Select(t => t.GetProperty("line").GetProperty("dash").GetString()));
        Assert.Equal([Palette.Cycle(0), Palette.Cycle(1)], data.EnumerateArray().Select(t => t.GetProperty("line").GetProperty("color").GetString()));
        Assert.Equal("lines+markers", data[0].GetProperty("mode").GetString());

        var layout = doc.RootElement.GetProperty("layout");
        Assert.Equal("Accuracy per epoch", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("epoch", layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("accuracy (%)", layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal(640, layout.GetProperty("width").GetInt32());
        Assert.Equal(400, layout.GetProperty("height").GetInt32());
        // plotly.js has no named templates: a template given by name would be ignored.
        Assert.False(layout.TryGetProperty("template", out _));
    }

    [Fact]
    public void Plotly_json_of_a_log_axis_has_log_type_a_log10_range_and_null_where_a_value_is_left_out()
    {
        var chart = Chart.Line("Learning rate", "step", "lr", logY: true).Add("lr", [0.1, 0.01, 0, double.NaN, 0.001]).YRange(1e-4, 1);
        using var doc = JsonDocument.Parse(chart.ToPlotlyJson());
        var y = doc.RootElement.GetProperty("data")[0].GetProperty("y");
        Assert.Equal([JsonValueKind.Number, JsonValueKind.Number, JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Number],
            y.EnumerateArray().Select(v => v.ValueKind));
        var yaxis = doc.RootElement.GetProperty("layout").GetProperty("yaxis");
        Assert.Equal("log", yaxis.GetProperty("type").GetString());
        Assert.Equal([-4.0, 0.0], yaxis.GetProperty("range").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Theory]
    [InlineData(640, 400)]
    [InlineData(480, 300)]
    [InlineData(1000, 250)]
    public void The_png_decodes_at_the_charts_size(int width, int height)
    {
        using var bitmap = SKBitmap.Decode(Curves().Size(width, height).ToPng());
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
    }

    [Fact]
    public void The_png_draws_each_series_in_its_colour_and_the_text()
    {
        using var bitmap = SKBitmap.Decode(Curves().ToPng());
        Assert.True(Pixels(bitmap, Palette.Cycle(0)) > 100, "the train line (tab10 blue)");
        Assert.True(Pixels(bitmap, Palette.Cycle(1)) > 100, "the validation line (tab10 orange)");
        // Text needs a font: the title's row of the picture holds dark pixels only if one was found.
        int dark = 0;
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (bitmap.GetPixel(x, y) is var c && c.Red < 90 && c.Green < 90 && c.Blue < 90) dark++;
        Assert.True(dark > 50, $"the title is drawn ({dark} dark pixels in the top 40 rows)");
    }

    [Fact]
    public void Missing_values_log_axes_fixed_ranges_and_a_single_series_render()
    {
        var charts = new[]
        {
            Chart.Line().Add("a", [1.0, 2, double.NaN, 4, 5]),
            Chart.Line("lr", "epoch", "lr", logY: true).Add("lr", [1.0, 0.1, 0.01, 0, -1]).Add("floor", [0.5, 0.5, 0.5, 0.5, 0.5]),
            Chart.Line("throughput", "batch size", "images per second").LogScaleX()
                 .Add("images/s", new[] { 16, 64, 128, 256 }, new[] { 900.0, 2100, 2600, 2800 }),
            Chart.Line().Add("a", TrainAccuracy).YRange(0, 100).XRange(0, 10).WithLegend(LegendPosition.None),
            Chart.Line().Add("a", TrainAccuracy).Add("b", ValAccuracy).WithLegend(LegendPosition.Right).Markers(false),
            Chart.Line("only NaN").Add("a", [double.NaN, double.NaN]),
        };
        foreach (var chart in charts)
        {
            using var bitmap = SKBitmap.Decode(chart.ToPng());
            Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));
        }
    }

    [Fact]
    public void The_same_chart_gives_the_same_png_bytes()
    {
        // Committed notebook outputs change only when the chart does.
        Assert.Equal(Curves().ToPng(), Curves().ToPng());
    }

    [Fact]
    public void Saving_writes_the_png()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"cnn-viz-{Guid.NewGuid():N}");
        try
        {
            var path = Curves().SavePng(Path.Combine(dir, "sub", "accuracy.png"));
            Assert.Equal(Curves().ToPng(), File.ReadAllBytes(path));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    /// <summary>How many pixels are within a small distance of <paramref name="hex"/> (anti-aliasing aside).</summary>
    internal static int Pixels(SKBitmap bitmap, string hex)
    {
        var target = Rgb.Parse(hex);
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - target.R) + Math.Abs(c.Green - target.G) + Math.Abs(c.Blue - target.B) < 30) count++;
            }
        return count;
    }
}
