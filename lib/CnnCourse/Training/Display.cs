using System.Globalization;
using System.Net;
using System.Text;
using CnnCourse.Display;
using CnnCourse.Visualization;

namespace CnnCourse.Training;

// How the training types show themselves in notebooks (../shared/DESIGN.md §6), through the
// TypeFormatterSource convention: charts as a PNG and a Plotly figure, always with a plain-text form.

public sealed partial class History
{
    /// <summary>
    /// The training curves: loss (train, and validation dashed) and, when measured, accuracy
    /// in percent, side by side; by epoch.
    /// </summary>
    public Figure Plot(string? title = null)
    {
        if (Count == 0) throw new InvalidOperationException("the history has no epochs to plot yet");
        return Curves(Epochs, TrainLoss, ValLoss, TrainAccuracy, ValAccuracy, title);
    }

    /// <summary>
    /// Loss and, when any accuracy is finite, accuracy in percent side by side; validation dashed and
    /// shown only when measured. NaN values leave gaps. Shared by <see cref="Plot"/> and the live view.
    /// </summary>
    internal static Figure Curves(double[] x, double[] trainLoss, double[] valLoss, double[] trainAccuracy, double[] valAccuracy,
                                  string? title)
    {
        var loss = Chart.Line("Loss", "epoch", "loss").Add("train", x, trainLoss);
        if (valLoss.Any(double.IsFinite)) loss.Add("validation", x, valLoss, dashed: true);
        if (!trainAccuracy.Any(double.IsFinite) && !valAccuracy.Any(double.IsFinite))
            return title is null ? loss : loss.WithTitle(title);
        var accuracy = Chart.Line("Accuracy", "epoch", "accuracy (%)");
        if (trainAccuracy.Any(double.IsFinite)) accuracy.Add("train", x, trainAccuracy.Select(a => 100 * a));
        if (valAccuracy.Any(double.IsFinite)) accuracy.Add("validation", x, valAccuracy.Select(a => 100 * a), dashed: true);
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
/// What <see cref="Progress.Notebook"/> shows by default: the training curves so far as a live chart
/// (the running epoch's loss and accuracy as a moving last point, its line as the chart's title),
/// and the finished epochs' lines as its text. Like every chart it is one output with a PNG and a
/// Plotly figure, so the final update is what a committed notebook keeps.
/// </summary>
[TypeFormatterSource(typeof(TrainingFormatterSource), PreferredMimeTypes = [MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText])]
public sealed class ProgressView
{
    private readonly Lazy<Figure> curves;

    internal ProgressView(IReadOnlyList<string> lines, string? running, double fraction,
                          IReadOnlyList<EpochRecord>? epochs = null, ProgressSnapshot? runningSnapshot = null)
    {
        Lines = lines;
        Running = running;
        Fraction = fraction;
        Epochs = epochs ?? [];
        curves = new Lazy<Figure>(() => BuildCurves(runningSnapshot));
    }

    /// <summary>One line per finished epoch (and the reason training stopped, if it did).</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The running epoch's line, or null between epochs.</summary>
    public string? Running { get; }

    /// <summary>The running epoch's completed fraction (NaN when unknown or between epochs).</summary>
    public double Fraction { get; }

    /// <summary>The finished epochs so far.</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; }

    /// <summary>
    /// The curves so far: one point per finished epoch, plus the running epoch's running mean loss
    /// and accuracy at its fractional position (epoch 2.5 is half way through the second epoch).
    /// </summary>
    public Figure Curves => curves.Value;

    public override string ToString() => string.Join("\n", Running is null ? Lines : Lines.Append(Running));

    private Figure BuildCurves(ProgressSnapshot? now)
    {
        var x = Epochs.Select(r => (double)r.Epoch).ToList();
        var trainLoss = Epochs.Select(r => r.TrainLoss).ToList();
        var trainAccuracy = Epochs.Select(r => r.TrainAccuracy).ToList();
        var valLoss = Epochs.Select(r => r.ValLoss).ToList();
        var valAccuracy = Epochs.Select(r => r.ValAccuracy).ToList();
        if (now is not null && double.IsFinite(Fraction))
        {
            x.Add(now.Epoch - 1 + Fraction);
            trainLoss.Add(now.Loss);
            trainAccuracy.Add(now.Accuracy);
            valLoss.Add(double.NaN);
            valAccuracy.Add(double.NaN);
        }
        string title = Running ?? (Lines.Count > 0 ? Lines[^1] : "training");
        return History.Curves([.. x], [.. trainLoss], [.. valLoss], [.. trainAccuracy], [.. valAccuracy], title);
    }
}

/// <summary>Formatters: History as its charts and table (HTML) or text; ConfusionMatrix and ProgressView as charts (PNG and Plotly) with their text.</summary>
public sealed class TrainingFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<History>(MimeTypes.Html, h => h.ToHtml());
        yield return ConventionFormatter.For<History>(MimeTypes.PlainText, h => h.ToString());
        yield return ConventionFormatter.For<ConfusionMatrix>(MimeTypes.Png, m => m.Plot().ToBase64Png());
        yield return ConventionFormatter.For<ConfusionMatrix>(MimeTypes.Plotly, m => m.Plot().ToPlotlyJson());
        yield return ConventionFormatter.For<ConfusionMatrix>(MimeTypes.Html, m => m.Plot().ToHtml());
        yield return ConventionFormatter.For<ConfusionMatrix>(MimeTypes.PlainText, m => m.ToString());
        yield return ConventionFormatter.For<ProgressView>(MimeTypes.Png, v => v.Curves.ToBase64Png());
        yield return ConventionFormatter.For<ProgressView>(MimeTypes.Plotly, v => v.Curves.ToPlotlyJson());
        yield return ConventionFormatter.For<ProgressView>(MimeTypes.PlainText, v => v.ToString());
    }
}
