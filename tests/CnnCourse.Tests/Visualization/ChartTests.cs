using System.Text.Json;
using System.Xml.Linq;
using CnnCourse.Visualization;

namespace CnnCourse.Tests.Visualization;

internal static class Svg
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    /// <summary>Parses the SVG as XML and checks what every static figure must satisfy.</summary>
    public static XDocument Parse(string svg)
    {
        var doc = XDocument.Parse(svg);
        Assert.Equal(Ns + "svg", doc.Root!.Name);
        Assert.DoesNotContain("script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        return doc;
    }

    public static IEnumerable<XElement> WithClass(this XDocument doc, string element, string cssClass) =>
        doc.Descendants(Ns + element).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    public static XElement Group(this XDocument doc, string cssClass) => doc.WithClass("g", cssClass).Single();

    public static string[] Texts(this XElement e) => e.Descendants(Ns + "text").Select(t => t.Value).ToArray();
}

public class TicksTests
{
    [Fact]
    public void Linear_ticks_use_1_2_or_5_times_a_power_of_ten()
    {
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], Ticks.Linear(0, 1, 6).Select(t => t.Label));
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], Ticks.Linear(0, 1, 6).Select(t => t.Value));
        Assert.Equal(["0", "20", "40", "60", "80", "100"], Ticks.Linear(0, 100, 6).Select(t => t.Label));
        Assert.Equal(["-1.0", "-0.5", "0.0", "0.5", "1.0"], Ticks.Linear(-1, 1, 5).Select(t => t.Label));
        Assert.Equal(["0.25", "0.50", "0.75", "1.00"], Ticks.Linear(0.2, 1.05, 4).Select(t => t.Label));
    }

    [Fact]
    public void Integer_ticks_skip_fractional_steps()
    {
        Assert.Equal(["1", "2", "3"], Ticks.Linear(0.9, 3.1, 10, integersOnly: true).Select(t => t.Label));
        Assert.Equal(["0.5", "1.0", "1.5", "2.0", "2.5", "3.0"], Ticks.Linear(0.4, 3.1, 10).Select(t => t.Label));
    }

    [Fact]
    public void Large_values_get_k_M_G_suffixes()
    {
        Assert.Equal(["0", "50M", "100M", "150M"], Ticks.Linear(0, 150e6, 4).Select(t => t.Label));
        Assert.Equal("61.7k", Ticks.Format(61700, 100));
        Assert.Equal("2.5G", Ticks.Format(2.5e9, 0.5e9));
        Assert.Equal("1500", Ticks.Format(1500, 500));
    }

    [Fact]
    public void Log_ticks_are_1_2_5_per_decade_when_they_fit_else_decades()
    {
        Assert.Equal(["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"], Ticks.Log(0.008, 1.2, 8).Select(t => t.Label));
        Assert.Equal(["0.01", "0.1", "1"], Ticks.Log(0.008, 1.2, 4).Select(t => t.Label));
        Assert.Equal(["10k", "100k", "1M", "10M", "100M"], Ticks.Log(5e3, 2e8, 5).Select(t => t.Label));
        Assert.Equal(["1e-6", "0.0001", "0.01", "1"], Ticks.Log(1e-6, 1, 4).Select(t => t.Label));
    }
}

public class LineChartTests
{
    private static readonly int[] Epochs = [1, 2, 3, 4, 5];
    private static readonly double[] Train = [2.0, 1.2, 0.8, 0.5, 0.3];
    private static readonly double[] Val = [2.0, 1.4, 1.0, 0.9, 0.85];

    [Fact]
    public void Training_curves_have_one_path_per_series_legend_and_nice_ticks()
    {
        var chart = Chart.Line("Loss", "epoch", "loss").Add("train", Epochs, Train).Add("validation", Epochs, Val, dashed: true);
        var doc = Svg.Parse(chart.ToSvg());
        var paths = doc.WithClass("path", "series").ToList();
        Assert.Equal(2, paths.Count);
        Assert.Equal(["train", "validation"], paths.Select(p => (string?)p.Attribute("data-name")));
        Assert.Equal("#1f77b4", (string?)paths[0].Attribute("stroke"));
        Assert.Equal("#ff7f0e", (string?)paths[1].Attribute("stroke"));
        Assert.Null(paths[0].Attribute("stroke-dasharray"));
        Assert.NotNull(paths[1].Attribute("stroke-dasharray"));
        Assert.Equal(5, ((string)paths[0].Attribute("d")!).Count(c => c is 'M' or 'L'));

        Assert.Equal(["1", "2", "3", "4", "5"], doc.Group("x-ticks").Texts());
        Assert.Equal(["0.25", "0.50", "0.75", "1.00", "1.25", "1.50", "1.75", "2.00"], doc.Group("y-ticks").Texts());
        Assert.Equal(["train", "validation"], doc.Group("legend").Texts());
        Assert.Equal("Loss", doc.WithClass("text", "title").Single().Value);
        Assert.Equal("epoch", doc.WithClass("text", "x-label").Single().Value);
        Assert.Equal("loss", doc.WithClass("text", "y-label").Single().Value);
        Assert.Equal(10, doc.Group("data").Descendants(Svg.Ns + "circle").Count());   // markers on short series
    }

    [Fact]
    public void Points_map_to_the_plot_area_with_larger_values_higher()
    {
        var doc = Svg.Parse(Chart.Line().Add("a", Epochs, Train).ToSvg());
        var d = (string)doc.WithClass("path", "series").Single().Attribute("d")!;
        var ys = d.Split(['M', 'L'],
            StringSplitOptions.RemoveEmptyEntries).Select(p => double.Parse(p.Trim().Split(' ')[1],
            System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(ys.Zip(ys.Skip(1)).All(p => p.First < p.Second), "loss falls, so y pixels grow");
        var frame = doc.WithClass("rect", "frame").Single();
        double top = (double)frame.Attribute("y")!, bottom = top + (double)frame.Attribute("height")!;
        Assert.All(ys, y => Assert.InRange(y, top, bottom));
    }

    [Fact]
    public void Log_scale_y_has_decade_ticks_and_leaves_out_non_positive_values()
    {
        var chart = Chart.Line("lr", "step", "loss", logY: true).Add("train", [1.0, 0.1, 0.01, 0, -1]);
        var doc = Svg.Parse(chart.ToSvg());
        Assert.Equal(["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"], doc.Group("y-ticks").Texts());
        var d = (string)doc.WithClass("path", "series").Single().Attribute("d")!;
        Assert.Equal(3, d.Count(c => c is 'M' or 'L'));
        Assert.Contains("log y", chart.ToString());
    }

    [Fact]
    public void Missing_values_break_the_line()
    {
        var doc = Svg.Parse(Chart.Line().Add("a", [1.0, 2, double.NaN, 4, 5]).ToSvg());
        var d = (string)doc.WithClass("path", "series").Single().Attribute("d")!;
        Assert.Equal(2, d.Count(c => c == 'M'));
        Assert.Equal(2, d.Count(c => c == 'L'));
    }

    [Fact]
    public void Title_and_names_are_xml_escaped()
    {
        const string title = "Loss <train> & \"val\" 'ok'";
        var chart = Chart.Line(title, "x < 1", "y & z").Add("a<b>", [1.0, 2]).Add("c&d", [2.0, 1]);
        string svg = chart.ToSvg();
        Assert.Contains("Loss &lt;train&gt; &amp; &quot;val&quot; &#39;ok&#39;", svg);
        var doc = Svg.Parse(svg);
        Assert.Equal(title, doc.WithClass("text", "title").Single().Value);
        Assert.Equal(title, doc.Root!.Element(Svg.Ns + "title")!.Value);
        Assert.Equal(["a<b>", "c&d"], doc.Group("legend").Texts());
        Assert.Equal("x < 1", doc.WithClass("text", "x-label").Single().Value);
    }

    [Fact]
    public void Mismatched_series_are_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Chart.Line().Add("a", [1.0, 2, 3], [1.0, 2]));
        Assert.Contains("3 x values but 2 y values", e.Message);
    }

    [Fact]
    public void Fixed_ranges_clip_the_data()
    {
        var doc = Svg.Parse(Chart.Line().Add("a", Train).YRange(0, 1).ToSvg());
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], doc.Group("y-ticks").Texts());
        Assert.Single(doc.Descendants(Svg.Ns + "clipPath"));
        Assert.StartsWith("url(#clip", (string?)doc.Group("data").Attribute("clip-path"));
    }

    [Fact]
    public void X_tick_labels_do_not_overlap_on_a_narrow_chart()
    {
        var xs = Enumerable.Range(0, 200).Select(i => i * 1000.0).ToArray();
        var doc = Svg.Parse(Chart.Line().Size(240, 200).Add("a", xs, xs.Select(x => x * x)).ToSvg());
        var ticks = doc.Group("x-ticks").Descendants(Svg.Ns + "text")
                       .Select(t => (X: (double)t.Attribute("x")!, W: t.Value.Length * 11 * 0.64)).ToList();
        Assert.True(ticks.Count >= 2);
        for (int i = 1; i < ticks.Count; i++) Assert.True(ticks[i].X - ticks[i - 1].X > (ticks[i].W + ticks[i - 1].W) / 2, "labels overlap");
    }

    [Fact]
    public void Plotly_json_has_one_trace_per_series_and_null_for_missing_values()
    {
        var json = Chart.Line("Loss", "epoch", "loss", logY: true).Add("train", [1.0, double.NaN, 0.5]).Add("val", [1.0, 0.8, 0.7]).ToPlotlyJson();
        using var doc = JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("scatter", data[0].GetProperty("type").GetString());
        Assert.Equal("train", data[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, data[0].GetProperty("y")[1].ValueKind);
        Assert.Equal(3, data[1].GetProperty("x")[2].GetDouble());
        var layout = doc.RootElement.GetProperty("layout");
        Assert.Equal("Loss", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal("epoch", layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Saving_writes_the_svg_and_the_html_page()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"cnn-viz-{Guid.NewGuid():N}");
        try
        {
            var chart = Chart.Line("Loss").Add("a", Train);
            var svgPath = chart.SaveSvg(Path.Combine(dir, "sub", "loss.svg"));
            Assert.Equal(chart.ToSvg(), File.ReadAllText(svgPath));
            var html = File.ReadAllText(chart.SaveHtml(Path.Combine(dir, "loss.html")));
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Contains("<svg", html);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Rsvg_convert_renders_the_svg_when_installed()
    {
        var rsvg = Tool.Find("rsvg-convert");
        if (rsvg == null) return;   // not installed: the XML checks above still hold
        var dir = Path.Combine(Path.GetTempPath(), $"cnn-viz-{Guid.NewGuid():N}");
        try
        {
            var svgPath = Chart.ConfusionMatrix(new[,] { { 5, 1 }, { 2, 7 } }, ["cat", "dog"]).Size(300, 260).SaveSvg(Path.Combine(dir, "cm.svg"));
            var pngPath = Path.Combine(dir, "cm.png");
            var (code, output) = Tool.Run(rsvg, svgPath, "-o", pngPath);
            Assert.True(code == 0, output);
            var png = DecodedPng.Decode(File.ReadAllBytes(pngPath));
            Assert.Equal((300, 260), (png.Width, png.Height));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}

public class BarChartTests
{
    [Fact]
    public void Grouped_bars_draw_one_rect_per_category_and_series()
    {
        var chart = Chart.Bar(["cat", "dog", "bird"], "Recall", yLabel: "recall")
            .Add("LeNet", [0.9, 0.8, 0.7]).Add("ResNet", [0.95, 0.9, 0.85]).ShowValues("0.00");
        var doc = Svg.Parse(chart.ToSvg());
        var bars = doc.WithClass("rect", "bar").ToList();
        Assert.Equal(6, bars.Count);
        Assert.Equal(["LeNet", "LeNet", "LeNet", "ResNet", "ResNet", "ResNet"], bars.Select(b => (string?)b.Attribute("data-series")));
        Assert.Equal(["cat", "dog", "bird"], doc.Group("x-ticks").Texts());
        Assert.Equal(["0.90", "0.80", "0.70", "0.95", "0.90", "0.85"], doc.WithClass("text", "value").Select(t => t.Value));
        Assert.Equal(["LeNet", "ResNet"], doc.Group("legend").Texts());
        Assert.Equal("0.0", doc.Group("y-ticks").Texts()[0]);

        // Heights are proportional to the values, from a common baseline.
        var h = bars.Select(b => (double)b.Attribute("height")!).ToArray();
        Assert.Equal(0.9 / 0.7, h[0] / h[2], 2);
        var bottoms = bars.Select(b => (double)b.Attribute("y")! + (double)b.Attribute("height")!).Distinct().ToList();
        Assert.True(bottoms.Max() - bottoms.Min() < 0.02);
    }

    [Fact]
    public void Wrong_number_of_values_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Chart.Bar(["a", "b"]).Add("s", [1.0]));
        Assert.Contains("1 values but the chart has 2 categories", e.Message);
    }

    [Fact]
    public void Long_category_names_are_rotated()
    {
        var names = Enumerable.Range(0, 10).Select(i => $"a rather long class name {i}").ToArray();
        var doc = Svg.Parse(Chart.Bar(names).Add("s", Enumerable.Range(1, 10)).ToSvg());
        Assert.All(doc.Group("x-ticks").Descendants(Svg.Ns + "text"), t => Assert.StartsWith("rotate(-35", (string?)t.Attribute("transform")));
        Assert.Equal(10, doc.WithClass("rect", "bar").Count());
    }
}

public class ScatterChartTests
{
    [Fact]
    public void Points_and_labels_on_a_log_x_axis()
    {
        var chart = Chart.Scatter("Size vs accuracy", "parameters", "top-1", logX: true)
            .Add("CNNs", [61706, 61.1e6, 25.6e6], [99.0, 56.5, 76.1], ["LeNet-5", "AlexNet", "ResNet-50"]);
        var doc = Svg.Parse(chart.ToSvg());
        Assert.Equal(3, doc.WithClass("circle", "point").Count());
        Assert.Equal(["LeNet-5", "AlexNet", "ResNet-50"], doc.WithClass("text", "point-label").Select(t => t.Value));
        Assert.Equal(["100k", "1M", "10M"], doc.Group("x-ticks").Texts());

        var json = JsonDocument.Parse(chart.ToPlotlyJson()).RootElement;
        Assert.Equal("markers+text", json.GetProperty("data")[0].GetProperty("mode").GetString());
        Assert.Equal("log", json.GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void Groups_get_their_own_colours_and_legend_entries()
    {
        var chart = Chart.Scatter().Add("plain", 1, 2).Add("residual", 2, 3).Add("mobile", 3, 1);
        var doc = Svg.Parse(chart.ToSvg());
        Assert.Equal(["#1f77b4", "#ff7f0e", "#2ca02c"], doc.WithClass("circle", "point").Select(c => (string?)c.Attribute("fill")));
        Assert.Equal(["plain", "residual", "mobile"], doc.Group("legend").Texts());
    }

    [Fact]
    public void Crowded_labels_move_aside_instead_of_overlapping()
    {
        // Four points a few pixels apart (the far fifth point stretches the axes).
        var xs = new double[] { 1, 1.02, 1.04, 1.06, 10 };
        var ys = new double[] { 1, 1.01, 1.02, 1.03, 10 };
        var doc = Svg.Parse(Chart.Scatter().Add("g", xs, ys, ["alpha", "beta", "gamma", "delta", "far"]).ToSvg());
        var boxes = doc.WithClass("text", "point-label").Select(t =>
        {
            double x = (double)t.Attribute("x")!, y = (double)t.Attribute("y")!, w = TextMetrics.Width(t.Value, 11);
            string anchor = (string?)t.Attribute("text-anchor") ?? "start";
            double x0 = anchor == "start" ? x : anchor == "end" ? x - w : x - w / 2;
            return (X0: x0, X1: x0 + w, Y0: y - 10, Y1: y + 2);
        }).ToList();
        int overlaps = 0;
        for (int i = 0; i < boxes.Count; i++)
            for (int j = i + 1; j < boxes.Count; j++)
                if (boxes[i].X0 < boxes[j].X1 && boxes[j].X0 < boxes[i].X1 && boxes[i].Y0 < boxes[j].Y1 && boxes[j].Y0 < boxes[i].Y1) overlaps++;
        Assert.Equal(0, overlaps);
    }
}

public class HeatmapTests
{
    [Fact]
    public void Cells_show_the_counts_with_row_and_column_labels()
    {
        int[,] counts = { { 5, 1, 0 }, { 0, 7, 2 }, { 3, 0, 9 } };
        var chart = Chart.Heatmap(counts, ["cat", "dog", "bird"], ["cat", "dog", "bird"], "Confusion", "predicted", "true");
        var doc = Svg.Parse(chart.ToSvg());
        Assert.Equal(9, doc.WithClass("rect", "cell").Count());
        Assert.Equal(["5", "1", "0", "0", "7", "2", "3", "0", "9"], doc.WithClass("text", "cell-value").Select(t => t.Value));
        Assert.Equal(["cat", "dog", "bird"], doc.Group("row-labels").Texts());
        Assert.Equal(["cat", "dog", "bird"], doc.Group("col-labels").Texts());
        Assert.Equal("predicted", doc.WithClass("text", "x-label").Single().Value);
        Assert.Equal("true", doc.WithClass("text", "y-label").Single().Value);

        // Colours by value: 0 is the lightest blue, the maximum (9) the darkest; dark cells get white text.
        var cells = doc.WithClass("rect", "cell").ToList();
        Assert.Equal("#f7fbff", (string?)cells[2].Attribute("fill"));
        Assert.Equal("#08306b", (string?)cells[8].Attribute("fill"));
        Assert.Equal("#ffffff", (string?)doc.WithClass("text", "cell-value").ElementAt(8).Attribute("fill"));
        Assert.Equal(["0", "2", "4", "6", "8"], doc.Group("colorbar").Texts());
    }

    [Fact]
    public void Confusion_matrix_colours_by_share_of_the_row()
    {
        // Row 1 is a rare class: 3 of 3 right must look as dark as 90 of 90.
        var chart = Chart.ConfusionMatrix(new[,] { { 90, 10 }, { 0, 3 } }, ["common", "rare"]);
        Assert.True(chart.RowNormalizedColors);
        var doc = Svg.Parse(chart.ToSvg());
        var fills = doc.WithClass("rect", "cell").Select(c => (string?)c.Attribute("fill")).ToList();
        Assert.Equal("#08306b", fills[3]);
        Assert.Equal("#f7fbff", fills[2]);
        Assert.Equal(["90", "10", "0", "3"], doc.WithClass("text", "cell-value").Select(t => t.Value));
        Assert.Equal("Confusion matrix", doc.WithClass("text", "title").Single().Value);
    }

    [Fact]
    public void Fractions_print_with_two_decimals_and_labels_are_checked()
    {
        var doc = Svg.Parse(Chart.Heatmap(new[,] { { 0.125, 0.5 } }).ToSvg());
        Assert.Equal(["0.13", "0.50"], doc.WithClass("text", "cell-value").Select(t => t.Value));
        Assert.Equal(["0"], doc.Group("row-labels").Texts());
        var e = Assert.Throws<ArgumentException>(() => Chart.Heatmap(new double[2, 2], ["only one"]));
        Assert.Contains("2 rows but 1 row labels", e.Message);
    }

    [Fact]
    public void Large_matrices_drop_cell_values_and_thin_out_labels()
    {
        var m = new int[100, 100];
        for (int i = 0; i < 100; i++) m[i, i] = 50;
        var names = Enumerable.Range(0, 100).Select(i => $"class {i}").ToArray();
        var doc = Svg.Parse(Chart.ConfusionMatrix(m, names).ToSvg());
        Assert.Equal(10000, doc.WithClass("rect", "cell").Count());
        Assert.Empty(doc.WithClass("text", "cell-value"));
        var rows = doc.Group("row-labels").Descendants(Svg.Ns + "text").Select(t => (double)t.Attribute("y")!).ToList();
        Assert.InRange(rows.Count, 10, 50);
        Assert.All(rows.Zip(rows.Skip(1)), p => Assert.True(p.Second - p.First >= 13));
    }

    [Fact]
    public void Plotly_heatmap_reverses_the_y_axis_so_row_0_is_on_top()
    {
        using var doc = JsonDocument.Parse(Chart.Heatmap(new[,] { { 1, 2 }, { 3, 4 } }, ["a", "b"], ["c", "d"]).ToPlotlyJson());
        var trace = doc.RootElement.GetProperty("data")[0];
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal(4, trace.GetProperty("z")[1][1].GetDouble());
        Assert.Equal("2", trace.GetProperty("text")[0][1].GetString());
        Assert.Equal("reversed", doc.RootElement.GetProperty("layout").GetProperty("yaxis").GetProperty("autorange").GetString());
    }
}

public class LayoutTests
{
    [Fact]
    public void A_legend_that_would_hide_data_in_every_corner_goes_right_of_the_plot()
    {
        var chart = Chart.Line().Size(480, 300);
        for (int k = 0; k < 5; k++) chart.Add($"series {k}", Enumerable.Range(0, 31).Select(i => Math.Sin(i / 5.0 + k)));
        var doc = Svg.Parse(chart.ToSvg());
        var frame = doc.WithClass("rect", "frame").Single();
        double plotRight = (double)frame.Attribute("x")! + (double)frame.Attribute("width")!;
        var box = doc.Group("legend").Element(Svg.Ns + "rect")!;
        Assert.True((double)box.Attribute("x")! > plotRight);
        Assert.True((double)box.Attribute("x")! + (double)box.Attribute("width")! <= 480);
    }

    [Fact]
    public void A_legend_goes_inside_when_a_corner_is_free()
    {
        var doc = Svg.Parse(Chart.Line().Add("falling", [5.0, 3, 2, 1.5, 1.2]).Add("flat", [1.0, 1, 1, 1, 1]).ToSvg());
        var frame = doc.WithClass("rect", "frame").Single();
        double plotRight = (double)frame.Attribute("x")! + (double)frame.Attribute("width")!;
        var box = doc.Group("legend").Element(Svg.Ns + "rect")!;
        Assert.True((double)box.Attribute("x")! + (double)box.Attribute("width")! < plotRight);
        Assert.True((double)box.Attribute("y")! < 100, "upper right is empty for falling curves");
    }

    [Fact]
    public void A_row_places_charts_side_by_side()
    {
        var row = Chart.Row("Run", Chart.Line("Loss").Size(300, 200).Add("a", [1.0, 0.5]), Chart.Line("Accuracy").Size(320, 220).Add("a", [0.5, 0.9]));
        Assert.Equal((620, 250), (row.Width, row.Height));
        var doc = Svg.Parse(row.ToSvg());
        var panels = doc.WithClass("g", "panel").ToList();
        Assert.Equal(["translate(0 30)", "translate(300 30)"], panels.Select(p => (string?)p.Attribute("transform")));
        Assert.Equal(["Run", "Loss", "Accuracy"], doc.WithClass("text", "title").Select(t => t.Value));
        using var plotly = System.Text.Json.JsonDocument.Parse(row.ToPlotlyJson());
        Assert.Equal("y2", plotly.RootElement.GetProperty("data")[1].GetProperty("yaxis").GetString());
        Assert.Equal(2, plotly.RootElement.GetProperty("layout").GetProperty("grid").GetProperty("columns").GetInt32());
    }

    [Fact]
    public void Diverging_heatmaps_centre_the_colour_scale_on_zero()
    {
        var doc = Svg.Parse(Chart.Heatmap(new[,] { { -0.5, 0.0, 1.0 } }).WithColormap(Colormap.RdBu).ToSvg());
        var fills = doc.WithClass("rect", "cell").Select(c => (string?)c.Attribute("fill")).ToList();
        Assert.Equal("#f7f7f7", fills[1]);   // 0 is the middle colour
        Assert.Equal("#053061", fills[2]);   // +1 the top
        Assert.Equal(["-1.0", "-0.5", "0.0", "0.5", "1.0"], doc.Group("colorbar").Texts());
    }
}
