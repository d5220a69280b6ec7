using System.Globalization;
using System.Text;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Training;

/// <summary>
/// Classification metrics from tensors: <c>scores</c> are logits or probabilities of shape [N, C]
/// (the predicted class is the index of the largest score, the first one on ties, as
/// <c>argmax</c>), or predicted class indices of shape [N] (an integer tensor); <c>targets</c>
/// are class indices of shape [N]. Tensors may be on any device and require grad; they are read,
/// never changed.
/// </summary>
public static class Metrics
{
    /// <summary>The fraction of samples whose predicted class is the target (NaN for no samples).</summary>
    public static double Accuracy(Tensor scores, Tensor targets)
    {
        var (predicted, actual) = Read(scores, targets, nameof(Accuracy));
        return actual.Length == 0 ? double.NaN : (double)CountEqual(predicted, actual) / actual.Length;
    }

    /// <summary>
    /// The fraction of samples whose target is among the <paramref name="k"/> highest scores.
    /// Scores are ranked highest first and, on ties, lower class index first (so top-1 equals
    /// <see cref="Accuracy"/>).
    /// </summary>
    public static double TopKAccuracy(Tensor scores, Tensor targets, int k)
    {
        Check.NotNull(scores, nameof(scores), "Metrics");
        Check.NotNull(targets, nameof(targets), "Metrics");
        Check.AtLeast(k, 1, nameof(k), "Metrics");
        if (scores.dim() != 2)
            throw new ArgumentException($"{nameof(TopKAccuracy)}: scores must have shape [N, C], got [{string.Join(", ", scores.shape)}]", nameof(scores));
        var (values, n, c) = Scores(scores);
        var actual = Labels(targets, nameof(TopKAccuracy));
        CheckCount(n, actual.Length, nameof(TopKAccuracy));
        if (k > c) throw new ArgumentException($"{nameof(TopKAccuracy)}: k = {k} exceeds the number of classes ({c})", nameof(k));
        if (n == 0) return double.NaN;
        long hits = 0;
        for (int i = 0; i < n; i++)
        {
            long t = actual[i];
            if (t < 0 || t >= c) throw new ArgumentException($"{nameof(TopKAccuracy)}: target {t} of sample {i} is not a class index in [0, {c})",
                nameof(targets));
            double s = values[i * c + t];
            int rank = 0;
            for (int j = 0; j < c; j++)
            {
                double v = values[i * c + j];
                if (v > s || (v == s && j < t)) rank++;
            }
            if (rank < k) hits++;
        }
        return (double)hits / n;
    }

    /// <summary>
    /// The confusion matrix: rows are the true classes, columns the predicted ones. The class count
    /// is <paramref name="numClasses"/>, else the length of <paramref name="labels"/>, else the
    /// number of score columns, else one more than the largest class seen.
    /// </summary>
    public static ConfusionMatrix ConfusionMatrix(Tensor scores, Tensor targets, int? numClasses = null, IReadOnlyList<string>? labels = null)
    {
        var (predicted, actual) = Read(scores, targets, nameof(ConfusionMatrix));
        int classes = numClasses ?? labels?.Count ?? (scores.dim() == 2 ? (int)scores.size(1) : 0);
        if (classes == 0) classes = (int)Math.Max(predicted.DefaultIfEmpty(-1).Max(), actual.DefaultIfEmpty(-1).Max()) + 1;
        return Training.ConfusionMatrix.From(actual, predicted, classes, labels);
    }

    /// <summary>The predicted class of each sample: the argmax of each row of [N, C] scores, or the values of an [N] integer tensor.</summary>
    public static long[] PredictedClasses(Tensor scores)
    {
        Check.NotNull(scores, nameof(scores), "Metrics");
        if (scores.dim() == 1 && !scores.is_floating_point()) return Labels(scores, nameof(PredictedClasses));
        if (scores.dim() != 2)
            throw new ArgumentException($"{nameof(PredictedClasses)}: expected scores of shape [N, C] or class indices of shape " +
                $"[N], got [{string.Join(", ", scores.shape)}] ({scores.dtype.ToString().ToLowerInvariant()})", nameof(scores));
        var (values, n, c) = Scores(scores);
        return ArgMaxRows(values, n, c);
    }

    internal static long[] ArgMaxRows(double[] values, int n, int c)
    {
        var result = new long[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bestValue = values[i * c];
            for (int j = 1; j < c; j++)
            {
                double v = values[i * c + j];
                // NaN counts as the largest value, as torch.argmax treats it.
                if (v > bestValue || (double.IsNaN(v) && !double.IsNaN(bestValue))) { best = j; bestValue = v; }
            }
            result[i] = best;
        }
        return result;
    }

    internal static long CountEqual(long[] a, long[] b)
    {
        long count = 0;
        for (int i = 0; i < a.Length; i++)
            if (a[i] == b[i]) count++;
        return count;
    }

    private static (long[] predicted, long[] actual) Read(Tensor scores, Tensor targets, string operation)
    {
        Check.NotNull(scores, nameof(scores), "Metrics");
        Check.NotNull(targets, nameof(targets), "Metrics");
        var predicted = PredictedClasses(scores);
        var actual = Labels(targets, operation);
        CheckCount(predicted.Length, actual.Length, operation);
        return (predicted, actual);
    }

    private static void CheckCount(int predicted, int actual, string operation)
    {
        if (predicted != actual)
            throw new ArgumentException($"{operation}: {predicted} predictions but {actual} targets");
    }

    internal static (double[] values, int n, int c) Scores(Tensor scores)
    {
        using var scope = torch.NewDisposeScope();
        return (scores.detach().to(ScalarType.Float64, torch.CPU).contiguous().data<double>().ToArray(), (int)scores.size(0), (int)scores.size(1));
    }

    internal static long[] Labels(Tensor targets, string operation)
    {
        if (targets.dim() != 1 || targets.is_floating_point() || targets.dtype == ScalarType.Bool)
            throw new ArgumentException($"{operation}: targets must be class indices of shape [N] (an integer tensor), got " +
                $"[{string.Join(", ", targets.shape)}] ({targets.dtype.ToString().ToLowerInvariant()})", nameof(targets));
        using var scope = torch.NewDisposeScope();
        return targets.detach().to(ScalarType.Int64, torch.CPU).contiguous().data<long>().ToArray();
    }
}

/// <summary>Precision, recall, F1 and support (number of true samples) of one class.</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, long Support);

/// <summary>
/// A confusion matrix: <c>this[t, p]</c> counts samples of true class t predicted as class p
/// (rows = true class, columns = predicted class, as scikit-learn). Per-class precision, recall
/// and F1 are 0 where undefined (no predictions of, or no samples of, that class), as
/// scikit-learn's default.
/// </summary>
[CnnCourse.Display.TypeFormatterSource(typeof(TrainingFormatterSource),
    PreferredMimeTypes = [CnnCourse.Display.MimeTypes.Png, CnnCourse.Display.MimeTypes.Plotly, CnnCourse.Display.MimeTypes.PlainText])]
public sealed partial class ConfusionMatrix
{
    private readonly long[,] counts;

    private ConfusionMatrix(long[,] counts, IReadOnlyList<string> labels)
    {
        this.counts = counts;
        Labels = labels;
    }

    /// <summary>Counts the pairs (actual[i], predicted[i]) over <paramref name="numClasses"/> classes.</summary>
    public static ConfusionMatrix From(IReadOnlyList<long> actual, IReadOnlyList<long> predicted, int numClasses, IReadOnlyList<string>? labels = null)
    {
        Check.NotNull(actual, nameof(actual), "Metrics");
        Check.NotNull(predicted, nameof(predicted), "Metrics");
        Check.AtLeast(numClasses, 1, nameof(numClasses), "Metrics");
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"{actual.Count} targets but {predicted.Count} predictions");
        if (labels is not null && labels.Count != numClasses)
            throw new ArgumentException($"{labels.Count} labels for {numClasses} classes", nameof(labels));
        var m = new long[numClasses, numClasses];
        for (int i = 0; i < actual.Count; i++)
        {
            long t = actual[i], p = predicted[i];
            if (t < 0 || t >= numClasses) throw new ArgumentException($"target {t} of sample {i} is not a class index in [0, {numClasses})", nameof(actual));
            if (p < 0 || p >= numClasses) throw new ArgumentException($"prediction {p} of sample {i} is not a class index in [0, {numClasses})",
                nameof(predicted));
            m[t, p]++;
        }
        var names = labels?.ToArray() ?? Enumerable.Range(0, numClasses).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new ConfusionMatrix(m, names);
    }

    /// <summary>The class names, in class-index order (the indices themselves when none were given).</summary>
    public IReadOnlyList<string> Labels { get; }

    public int NumClasses => counts.GetLength(0);

    /// <summary>Samples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>A copy of the counts, [true, predicted].</summary>
    public long[,] Counts => (long[,])counts.Clone();

    /// <summary>The counts as doubles, row by row (for a heatmap).</summary>
    public double[][] ToRows() =>
        Enumerable.Range(0, NumClasses).Select(r => Enumerable.Range(0, NumClasses).Select(c => (double)counts[r, c]).ToArray()).ToArray();

    /// <summary>Each row divided by its total: the fraction of each true class predicted as each class (0 for an empty row).</summary>
    public double[][] NormalizedRows() => Enumerable.Range(0, NumClasses).Select(r =>
    {
        long total = Support(r);
        return Enumerable.Range(0, NumClasses).Select(c => total == 0 ? 0.0 : (double)counts[r, c] / total).ToArray();
    }).ToArray();

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var v in counts) total += v;
            return total;
        }
    }

    /// <summary>The fraction on the diagonal (NaN for an empty matrix).</summary>
    public double Accuracy
    {
        get
        {
            long diagonal = 0;
            for (int i = 0; i < NumClasses; i++) diagonal += counts[i, i];
            long total = Total;
            return total == 0 ? double.NaN : (double)diagonal / total;
        }
    }

    /// <summary>Samples whose true class is <paramref name="c"/> (the row sum).</summary>
    public long Support(int c)
    {
        long s = 0;
        for (int j = 0; j < NumClasses; j++) s += counts[c, j];
        return s;
    }

    /// <summary>Samples predicted as class <paramref name="c"/> (the column sum).</summary>
    public long Predicted(int c)
    {
        long s = 0;
        for (int i = 0; i < NumClasses; i++) s += counts[i, c];
        return s;
    }

    /// <summary>Of the samples predicted as <paramref name="c"/>, the fraction that are c.</summary>
    public double Precision(int c) => Ratio(counts[c, c], Predicted(c));

    /// <summary>Of the samples of class <paramref name="c"/>, the fraction predicted as c.</summary>
    public double Recall(int c) => Ratio(counts[c, c], Support(c));

    /// <summary>The harmonic mean of precision and recall of class <paramref name="c"/>.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Precision, recall, F1 and support of every class.</summary>
    public IReadOnlyList<ClassMetrics> PerClass() =>
        Enumerable.Range(0, NumClasses).Select(c => new ClassMetrics(Labels[c], Precision(c), Recall(c), F1(c), Support(c))).ToList();

    /// <summary>The unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 => Enumerable.Range(0, NumClasses).Average(F1);

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;

    /// <summary>The matrix as aligned text, true classes down, predicted across.</summary>
    public override string ToString()
    {
        var header = new[] { "true \\ pred" }.Concat(Labels).ToArray();
        var rows = Enumerable.Range(0, NumClasses)
            .Select(r => new[] { Labels[r] }.Concat(Enumerable.Range(0, NumClasses).Select(c => counts[r, c].ToString(CultureInfo.InvariantCulture))).ToArray())
            .ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => Math.Max(header[i].Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells)
        {
            sb.Append(cells[0].PadRight(widths[0]));
            for (int i = 1; i < cells.Length; i++) sb.Append("  ").Append(cells[i].PadLeft(widths[i]));
            sb.Append('\n');
        }
        Line(header);
        foreach (var r in rows) Line(r);
        return sb.ToString();
    }

    /// <summary>A per-class report (precision, recall, F1, support) with accuracy and macro averages, as scikit-learn's classification_report.</summary>
    public string Report()
    {
        int width = Math.Max(12, Labels.Max(l => l.Length));
        var sb = new StringBuilder();
        string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        sb.Append(string.Empty.PadRight(width)).Append(" precision    recall        f1   support\n");
        foreach (var m in PerClass())
            sb.Append(m.Label.PadRight(width)).Append($" {F(m.Precision),9} {F(m.Recall),9} {F(m.F1),9} {m.Support,9}\n");
        var all = PerClass();
        sb.Append('\n');
        sb.Append("accuracy".PadRight(width)).Append($" {"",9} {"",9} {F(Accuracy),9} {Total,9}\n");
        sb.Append("macro avg".PadRight(width)).Append($" {F(all.Average(m => m.Precision)),9} {F(all.Average(m => m.Recall)),9} {F(MacroF1),9} {Total,9}\n");
        return sb.ToString();
    }
}
