using System.Collections;
using System.Globalization;
using System.Text;
using CnnCourse.Runtime;

namespace CnnCourse.Training;

/// <summary>
/// What one epoch of training measured. Losses are means over the epoch's samples, accuracies
/// fractions in [0, 1] (NaN when the targets are not class indices); the validation values are NaN
/// when there was no validation data. <see cref="LearningRate"/> is the first parameter group's
/// rate at the start of the epoch; <see cref="Seconds"/> the whole epoch (training and
/// validation); <see cref="ImagesPerSecond"/> the training throughput.
/// </summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double ValLoss, double ValAccuracy,
                                 double LearningRate, double Seconds, double ImagesPerSecond)
{
    /// <summary>Whether the epoch was validated.</summary>
    public bool HasValidation => !double.IsNaN(ValLoss);

    /// <summary>
    /// A value by name: <c>train_loss</c> (or <c>loss</c>), <c>train_acc</c> (<c>acc</c>,
    /// <c>accuracy</c>, <c>train_accuracy</c>), <c>val_loss</c>, <c>val_acc</c> (<c>val_accuracy</c>),
    /// <c>lr</c>, <c>epoch_time_s</c>, <c>images_per_s</c>.
    /// </summary>
    public double this[string metric] => History.Column(metric) switch
    {
        History.Col.TrainLoss => TrainLoss,
        History.Col.TrainAcc => TrainAccuracy,
        History.Col.ValLoss => ValLoss,
        History.Col.ValAcc => ValAccuracy,
        History.Col.Lr => LearningRate,
        History.Col.Seconds => Seconds,
        History.Col.ImagesPerSecond => ImagesPerSecond,
        _ => Epoch,
    };
}

/// <summary>
/// The per-epoch record of a training run (<see cref="Trainer.History"/>), with each measure as a
/// plain <c>double[]</c> for charts (<c>history.TrainLoss</c>, <c>history.ValAccuracy</c>, …) and a
/// CSV form (<see cref="ToCsv"/>, <see cref="SaveCsv"/>).
/// </summary>
[CnnCourse.Display.TypeFormatterSource(typeof(TrainingFormatterSource),
    PreferredMimeTypes = [CnnCourse.Display.MimeTypes.Html, CnnCourse.Display.MimeTypes.PlainText])]
public sealed partial class History : IReadOnlyList<EpochRecord>
{
    private readonly List<EpochRecord> records = new();

    public History() { }

    public History(IEnumerable<EpochRecord> records)
    {
        Check.NotNull(records, nameof(records), "History");
        foreach (var r in records) Add(r);
    }

    /// <summary>Appends an epoch (the trainer does this after every epoch).</summary>
    public void Add(EpochRecord record)
    {
        Check.NotNull(record, nameof(record), "History");
        records.Add(record);
    }

    internal void Clear() => records.Clear();

    public int Count => records.Count;
    public EpochRecord this[int index] => records[index];
    public IEnumerator<EpochRecord> GetEnumerator() => records.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The last epoch, or null when there is none.</summary>
    public EpochRecord? Last => records.Count == 0 ? null : records[^1];

    // ---- series for charts -----------------------------------------------------------------

    /// <summary>The epoch numbers (1, 2, …) as the x values of a chart.</summary>
    public double[] Epochs => records.Select(r => (double)r.Epoch).ToArray();
    public double[] TrainLoss => records.Select(r => r.TrainLoss).ToArray();
    public double[] TrainAccuracy => records.Select(r => r.TrainAccuracy).ToArray();
    public double[] ValLoss => records.Select(r => r.ValLoss).ToArray();
    public double[] ValAccuracy => records.Select(r => r.ValAccuracy).ToArray();
    public double[] LearningRate => records.Select(r => r.LearningRate).ToArray();
    public double[] EpochSeconds => records.Select(r => r.Seconds).ToArray();
    public double[] ImagesPerSecond => records.Select(r => r.ImagesPerSecond).ToArray();

    /// <summary>One series by name (see <see cref="EpochRecord.this[string]"/>).</summary>
    public double[] Series(string metric)
    {
        Column(metric);
        return records.Select(r => r[metric]).ToArray();
    }

    /// <summary>
    /// The epoch with the best value of <paramref name="metric"/> ("min" or "max"; by default min
    /// for losses, max otherwise); the first on ties. Null when no epoch has a value.
    /// </summary>
    public EpochRecord? Best(string metric = "val_loss", string? mode = null)
    {
        bool max = Mode(metric, mode) == "max";
        EpochRecord? best = null;
        foreach (var r in records)
        {
            double v = r[metric];
            if (double.IsNaN(v)) continue;
            if (best is null || (max ? v > best[metric] : v < best[metric])) best = r;
        }
        return best;
    }

    internal static string Mode(string metric, string? mode)
    {
        var column = Column(metric);
        mode ??= column is Col.TrainLoss or Col.ValLoss or Col.Seconds ? "min" : "max";
        if (mode is not ("min" or "max")) throw new ArgumentException($"mode must be \"min\" or \"max\", got \"{mode}\"", nameof(mode));
        return mode;
    }

    // ---- CSV --------------------------------------------------------------------------------

    /// <summary>The CSV header: one column per measure.</summary>
    public const string CsvHeader = "epoch,train_loss,train_acc,val_loss,val_acc,lr,epoch_time_s,images_per_s";

    /// <summary>
    /// The history as CSV (<see cref="CsvHeader"/>, then one line per epoch, "\n" line ends),
    /// numbers in invariant culture with the shortest text that reads back to the same double;
    /// a missing value (NaN) is an empty field.
    /// </summary>
    public string ToCsv()
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in records)
        {
            sb.Append(r.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (var v in new[] { r.TrainLoss, r.TrainAccuracy, r.ValLoss, r.ValAccuracy, r.LearningRate, r.Seconds, r.ImagesPerSecond })
                sb.Append(',').Append(double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> (UTF-8, no byte-order mark).</summary>
    public void SaveCsv(string path)
    {
        Check.NotEmpty(path, nameof(path), "History");
        File.WriteAllText(path, ToCsv(), new UTF8Encoding(false));
    }

    /// <summary>Reads <see cref="ToCsv"/>'s text back (exactly: every number round-trips).</summary>
    public static History ParseCsv(string csv)
    {
        Check.NotNull(csv, nameof(csv), "History");
        var lines = csv.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != CsvHeader)
            throw new FormatException($"not a training history: the first line must be \"{CsvHeader}\"");
        var history = new History();
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != 8) throw new FormatException($"history line {i + 1} has {f.Length} fields, expected 8");
            double D(int k) => f[k].Length == 0 ? double.NaN
                : double.TryParse(f[k], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new FormatException($"history line {i + 1}, field {k + 1}: '{f[k]}' is not a number");
            if (!int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
                throw new FormatException($"history line {i + 1}: '{f[0]}' is not an epoch number");
            history.Add(new EpochRecord(epoch, D(1), D(2), D(3), D(4), D(5), D(6), D(7)));
        }
        return history;
    }

    /// <summary>Reads a CSV file written by <see cref="SaveCsv"/>.</summary>
    public static History LoadCsv(string path) => ParseCsv(File.ReadAllText(path));

    /// <summary>An aligned text table of the epochs (accuracies in percent).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("epoch  train_loss  train_acc  val_loss  val_acc        lr  time_s    img/s\n");
        foreach (var r in records)
            sb.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch,5}  {Num(r.TrainLoss, "0.0000"),10}  {Pct(r.TrainAccuracy),9}  {Num(r.ValLoss, "0.0000"),8}  {Pct(r.ValAccuracy),7} " +
                $" {Num(r.LearningRate, "0.###E+0"),8}  {Num(r.Seconds, "0.0"),6}  {Num(r.ImagesPerSecond, "0"),7}\n");
        return sb.ToString();
    }

    private static string Num(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
    private static string Pct(double v) => double.IsNaN(v) ? "-" : (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    internal enum Col { Epoch, TrainLoss, TrainAcc, ValLoss, ValAcc, Lr, Seconds, ImagesPerSecond }

    internal static Col Column(string metric) => metric switch
    {
        null => throw new ArgumentNullException(nameof(metric)),
        "epoch" => Col.Epoch,
        "train_loss" or "loss" => Col.TrainLoss,
        "train_acc" or "train_accuracy" or "acc" or "accuracy" => Col.TrainAcc,
        "val_loss" => Col.ValLoss,
        "val_acc" or "val_accuracy" => Col.ValAcc,
        "lr" => Col.Lr,
        "epoch_time_s" => Col.Seconds,
        "images_per_s" => Col.ImagesPerSecond,
        _ => throw new ArgumentException($"unknown metric '{metric}'; use train_loss, train_acc, val_loss, val_acc, lr, epoch_time_s or images_per_s",
            nameof(metric)),
    };
}
