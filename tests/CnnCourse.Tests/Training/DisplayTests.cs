using System.Reflection;
using System.Text.Json.Nodes;
using CnnCourse.Training;
using SkiaSharp;

namespace CnnCourse.Tests.Training;

public class DisplayTests
{
    private static History Sample() => new(
    [
        new EpochRecord(1, 0.9, 0.6, 0.8, 0.65, 0.1, 2, 100),
        new EpochRecord(2, 0.5, 0.8, 0.6, 0.75, 0.01, 1.5, 120),
        new EpochRecord(3, 0.3, 0.9, 0.5, 0.8, 0.001, 1.5, 130),
    ]);

    // Finds the formatters the way a notebook host does: by the attribute's name, then reflection.
    private static string Format(object value, string mimeType)
    {
        var attribute = value.GetType().GetCustomAttributes().Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = (IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        foreach (var f in formatters)
        {
            if ((string)f.GetType().GetProperty("MimeType")!.GetValue(f)! != mimeType) continue;
            var writer = new StringWriter();
            if ((bool)f.GetType().GetMethod("Format")!.Invoke(f, [value, writer])!) return writer.ToString();
        }
        throw new InvalidOperationException($"no {mimeType} formatter for {value.GetType().Name}");
    }

    [Fact]
    public void History_plots_loss_and_accuracy_curves_side_by_side()
    {
        var figure = JsonNode.Parse(Sample().Plot().ToPlotlyJson())!;
        Assert.Equal(["Loss", "Accuracy"], figure["layout"]!["annotations"]!.AsArray().Select(a => a!["text"]!.GetValue<string>()));
        Assert.Contains("validation", figure["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.NotNull(SKBitmap.Decode(Sample().Plot().ToPng()));
        Assert.NotNull(SKBitmap.Decode(Sample().PlotLearningRate().ToPng()));
        Assert.Throws<InvalidOperationException>(() => new History().Plot());
    }

    [Fact]
    public void History_shows_in_notebooks_as_charts_and_a_table_or_as_text()
    {
        var history = Sample();
        string html = Format(history, "text/html");
        Assert.Contains("<img src=\"data:image/png;base64,", html);
        Assert.Contains("<table", html);
        Assert.Contains("80.00", html);
        Assert.Equal(history.ToString(), Format(history, "text/plain"));
        Assert.Contains("no epochs yet", Format(new History(), "text/html"));
        Assert.Equal(3, history.ToTable().Rows.Count);
    }

    [Fact]
    public void Confusion_matrix_shows_as_a_labelled_heatmap_or_as_text()
    {
        var cm = ConfusionMatrix.From([0, 0, 1, 2], [0, 2, 1, 2], 3, ["cat", "dog", "owl"]);
        Assert.Contains("<img src=\"data:image/png;base64,", Format(cm, "text/html"));
        Assert.Equal(cm.Plot().ToBase64Png(), Format(cm, "image/png"));
        Assert.Contains("owl", Format(cm, "application/vnd.plotly.v1+json"));
        Assert.Equal(cm.ToString(), Format(cm, "text/plain"));
        Assert.NotNull(SKBitmap.Decode(cm.Plot().ToPng()));
    }

    private sealed class LastShown
    {
        public object? Value { get; private set; }
        public void Update(object value) => Value = value;
    }

    [Fact]
    public void Live_progress_shows_as_a_chart_picture_and_a_plotly_figure_with_the_epoch_lines_as_text()
    {
        var handle = new LastShown();
        var sink = Progress.Notebook(_ => handle, minInterval: TimeSpan.Zero);
        sink.FitStarted(1, 2, 10);
        foreach (var record in Sample().Take(2)) sink.EpochEnded(record, 2);
        sink.FitEnded(Sample(), null);
        var view = Assert.IsType<ProgressView>(handle.Value);
        using var png = SKBitmap.Decode(Convert.FromBase64String(Format(view, "image/png")));
        Assert.Equal((view.Curves.Width, view.Curves.Height), (png.Width, png.Height));
        string plotly = Format(view, "application/vnd.plotly.v1+json");
        Assert.Contains("\"validation\"", plotly);
        Assert.Contains("accuracy (%)", plotly);
        Assert.Equal(string.Join("\n", Sample().Take(2).Select(r => Progress.FormatEpoch(r, 2))), Format(view, "text/plain"));
    }
}
