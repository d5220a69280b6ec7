using System.Globalization;
using System.Net;
using System.Text;
using CnnCourse.Display;
using CnnCourse.Visualization;

namespace CnnCourse.Training;

// How the training types show themselves in notebooks (../shared/DESIGN.md §6): a static
// SVG/HTML form and a plain-text form, through the TypeFormatterSource convention.

public sealed partial class History
{
    /// <summary>
    /// The training curves: loss (train, and validation dashed) and, when measured, accuracy
    /// in percent, side by side; by epoch.
    /// </summary>
    public Figure Plot(string? title = null)
    {
        if (Count == 0) throw new InvalidOperationException("the history has no epochs to plot yet");
        var loss = Chart.Line("Loss", "epoch", "loss").Add("train", Epochs, TrainLoss);
        if (ValLoss.Any(double.IsFinite)) loss.Add("validation", Epochs, ValLoss, dashed: true);
        if (!TrainAccuracy.Any(double.IsFinite) && !ValAccuracy.Any(double.IsFinite))
            return title is null ? loss : loss.WithTitle(title);
        var accuracy = Chart.Line("Accuracy", "epoch", "accuracy (%)");
        if (TrainAccuracy.Any(double.IsFinite)) accuracy.Add("train", Epochs, TrainAccuracy.Select(a => 100 * a));
        if (ValAccuracy.Any(double.IsFinite)) accuracy.Add("validation", Epochs, ValAccuracy.Select(a => 100 * a), dashed: true);
        return title is null ? Chart.Row(loss, accuracy) : Chart.Row(title, loss, accuracy);
    }

    /// <summary>The learning rate of each epoch (log scale when it spans more than a factor of 10).</summary>
    public LineChart PlotLearningRate()
    {
        if (Count == 0) throw new InvalidOperationException("the history has no epochs to plot yet");
        var lr = LearningRate;
        bool log = lr.All(v => v > 0) && lr.Max() > 10 * lr.Min();
        return Chart.Line("Learning rate", "epoch", "lr", logY: log).Add("lr", Epochs, lr);
    }

    /// <summary>The epochs as a table (accuracies in percent).</summary>
    public Table ToTable()
    {
        string N(double v, string f) => double.IsNaN(v) ? "" : v.ToString(f, CultureInfo.InvariantCulture);
        var table = new Table("epoch", "train loss", "train acc", "val loss", "val acc", "lr", "time (s)", "img/s");
        foreach (var r in this)
            table.AddRow(r.Epoch, N(r.TrainLoss, "0.0000"), N(100 * r.TrainAccuracy, "0.00"), N(r.ValLoss, "0.0000"),
                N(100 * r.ValAccuracy, "0.00"), N(r.LearningRate, "G4"), N(r.Seconds, "0.0"), N(r.ImagesPerSecond, "N0"));
        return table;
    }

    internal string ToHtml() => Count == 0
        ? "<div class=\"cnn-history\"><em>no epochs yet</em></div>"
        : "<div class=\"cnn-history\">" + Plot().ToHtml() + ToTable().ToHtml() + "</div>";
}

public sealed partial class ConfusionMatrix
{
    /// <summary>The matrix as a heatmap: true class down, predicted across, counts in the cells, colour by row share.</summary>
    public Heatmap Plot(string? title = "Confusion matrix") => Chart.ConfusionMatrix(Counts, Labels, title);
}

/// <summary>
/// What <see cref="Progress.Notebook"/> shows by default: the finished epochs' lines and the
/// running epoch's bar, as HTML (with a progress bar) or plain text.
/// </summary>
[TypeFormatterSource(typeof(TrainingFormatterSource), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed class ProgressView
{
    internal ProgressView(IReadOnlyList<string> lines, string? running, double fraction)
    {
        Lines = lines;
        Running = running;
        Fraction = fraction;
    }

    /// <summary>One line per finished epoch (and the reason training stopped, if it did).</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The running epoch's line, or null between epochs.</summary>
    public string? Running { get; }

    /// <summary>The running epoch's completed fraction (NaN when unknown or between epochs).</summary>
    public double Fraction { get; }

    public override string ToString() => string.Join("\n", Running is null ? Lines : Lines.Append(Running));

    public string ToHtml()
    {
        var sb = new StringBuilder("<div class=\"cnn-progress\">");
        if (Lines.Count > 0) sb.Append("<pre style=\"margin:0\">").Append(WebUtility.HtmlEncode(string.Join("\n", Lines))).Append("</pre>");
        if (Running is not null)
        {
            sb.Append("<div style=\"font-family:monospace;white-space:pre\">");
            if (double.IsFinite(Fraction))
                sb.Append(CultureInfo.InvariantCulture,
                    $"<progress value=\"{Fraction:0.###}\" max=\"1\" style=\"width:12em;vertical-align:middle\"></progress> ");
            sb.Append(WebUtility.HtmlEncode(Running)).Append("</div>");
        }
        return sb.Append("</div>").ToString();
    }
}

/// <summary>Formatters (HTML and plain text) for History, ConfusionMatrix and ProgressView.</summary>
public sealed class TrainingFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<History>(MimeTypes.Html, h => h.ToHtml());
        yield return ConventionFormatter.For<History>(MimeTypes.PlainText, h => h.ToString());
        yield return ConventionFormatter.For<ConfusionMatrix>(MimeTypes.Html, m => m.Plot().ToHtml());
        yield return ConventionFormatter.For<ConfusionMatrix>(MimeTypes.PlainText, m => m.ToString());
        yield return ConventionFormatter.For<ProgressView>(MimeTypes.Html, v => v.ToHtml());
        yield return ConventionFormatter.For<ProgressView>(MimeTypes.PlainText, v => v.ToString());
    }
}
