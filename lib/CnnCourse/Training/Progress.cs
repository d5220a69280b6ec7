using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using CnnCourse.Runtime;

namespace CnnCourse.Training;

/// <summary>
/// Receives the progress of <see cref="Trainer.Fit(IBatchSource, IBatchSource?, int, Callback[])"/>. The
/// library ships a terminal bar, plain per-epoch lines and a notebook display
/// (<see cref="Progress"/>); a host with its own display implements this interface.
/// </summary>
public interface IProgressSink
{
    /// <summary>
    /// Training of epochs <paramref name="firstEpoch"/>..<paramref name="lastEpoch"/> (1-based) begins; <paramref name="batchesPerEpoch"/> is -1 when
    /// unknown.
    /// </summary>
    void FitStarted(int firstEpoch, int lastEpoch, int batchesPerEpoch);

    /// <summary>After every training batch (sinks throttle their own redraws).</summary>
    void BatchEnded(ProgressSnapshot snapshot);

    /// <summary>After an epoch was trained and validated.</summary>
    void EpochEnded(EpochRecord record, int lastEpoch);

    /// <summary>After the last epoch; <paramref name="stopReason"/> says why training stopped early, if it did.</summary>
    void FitEnded(History history, string? stopReason);
}

/// <summary>The running state of the epoch being trained.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="LastEpoch">The last epoch of this Fit.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch (-1: unknown).</param>
/// <param name="Samples">Samples done in this epoch.</param>
/// <param name="Loss">Mean loss over the epoch's samples so far.</param>
/// <param name="Accuracy">Accuracy over the epoch's samples so far (NaN when not classifying).</param>
/// <param name="ImagesPerSecond">Training throughput so far.</param>
/// <param name="Elapsed">Time since the epoch started.</param>
/// <param name="Remaining">Estimated time to the end of the epoch (null when the batch count is unknown).</param>
public sealed record ProgressSnapshot(int Epoch, int LastEpoch, int Batch, int Batches, long Samples, double Loss, double Accuracy,
                                      double ImagesPerSecond, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>
/// The progress displays. <see cref="Auto"/> (the trainer's default) redraws one line on an
/// interactive terminal and prints one line per epoch when output is redirected (logs, CI, a
/// notebook kernel's captured console). In a notebook, pass the notebook's <c>display</c> function to
/// <see cref="Notebook"/> for one display that updates in place:
/// <code>
/// var trainer = new Trainer(net, opt) { Progress = Progress.Notebook(x => display(x)) };
/// </code>
/// <c>display(value)</c> must show the value and return a handle with an <c>Update(object)</c>
/// method (the convention of both .NET Interactive's <c>display</c>, whose handle is a
/// <c>DisplayedValue</c>, and the course's notebook runner). The library does not reference either:
/// it calls <c>Update</c> by reflection.
/// </summary>
public static class Progress
{
    /// <summary>The terminal bar when the console is interactive, else one line per epoch.</summary>
    public static IProgressSink Auto() => Console.IsOutputRedirected ? Lines() : Terminal();

    /// <summary>One line redrawn in place (<c>\r</c>) with a bar, loss, accuracy, images/s and ETA; one kept line per epoch.</summary>
    public static IProgressSink Terminal(TextWriter? writer = null, TimeSpan? minInterval = null) =>
        new TerminalProgress(writer ?? Console.Out, minInterval ?? TimeSpan.FromMilliseconds(100));

    /// <summary>One plain line per epoch (and none per batch): for logs and redirected output.</summary>
    public static IProgressSink Lines(TextWriter? writer = null) => new LineProgress(writer ?? Console.Out);

    /// <summary>
    /// One notebook display updated in place: the live training curves (a chart whose title is the
    /// running epoch's line) and a line per finished epoch. <paramref name="display"/> shows a value and
    /// returns a handle with <c>Update(object)</c>; <paramref name="render"/> turns the state into the
    /// value shown (default: the <see cref="ProgressView"/> itself, a chart with its text). Updates come
    /// at most once per <paramref name="minInterval"/> (default 1 s: each draws a picture), and always at
    /// an epoch's first and last batch.
    /// </summary>
    public static IProgressSink Notebook(Func<object, object?> display, Func<ProgressView, object>? render = null, TimeSpan? minInterval = null)
    {
        Check.NotNull(display, nameof(display), "Progress");
        return new NotebookProgress(display, render ?? (v => v), minInterval ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>Shows nothing.</summary>
    public static IProgressSink None { get; } = new SilentProgress();

    // ---- text ------------------------------------------------------------------------------

    /// <summary>The running line: <c>epoch 2/10 [=====>    ] 312/938 loss 0.4123 acc 85.21% 5,230 img/s ETA 0:07</c>.</summary>
    public static string FormatRunning(ProgressSnapshot s)
    {
        Check.NotNull(s, nameof(s), "Progress");
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"epoch {s.Epoch}/{s.LastEpoch} ");
        if (s.Batches > 0) sb.Append(Bar(s.Batch, s.Batches, 20)).Append(CultureInfo.InvariantCulture, $" {s.Batch}/{s.Batches}");
        else sb.Append(CultureInfo.InvariantCulture, $"{s.Batch}");
        sb.Append(" loss ").Append(Number(s.Loss));
        if (!double.IsNaN(s.Accuracy)) sb.Append(" acc ").Append(Percent(s.Accuracy));
        sb.Append(' ').Append(s.ImagesPerSecond.ToString("N0", CultureInfo.InvariantCulture)).Append(" img/s");
        if (s.Remaining is { } eta) sb.Append(" ETA ").Append(Duration(eta));
        return sb.ToString();
    }

    /// <summary>The finished epoch's line: <c>epoch 2/10 loss 0.4123 acc 85.21% | val_loss 0.3900 val_acc 86.00% | lr 0.05 | 4.2 s, 14,280 img/s</c>.</summary>
    public static string FormatEpoch(EpochRecord r, int lastEpoch)
    {
        Check.NotNull(r, nameof(r), "Progress");
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"epoch {r.Epoch}/{lastEpoch} loss {Number(r.TrainLoss)}");
        if (!double.IsNaN(r.TrainAccuracy)) sb.Append(" acc ").Append(Percent(r.TrainAccuracy));
        if (r.HasValidation)
        {
            sb.Append(" | val_loss ").Append(Number(r.ValLoss));
            if (!double.IsNaN(r.ValAccuracy)) sb.Append(" val_acc ").Append(Percent(r.ValAccuracy));
        }
        sb.Append(" | lr ").Append(r.LearningRate.ToString("G4", CultureInfo.InvariantCulture));
        sb.Append(" | ").Append(r.Seconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s, ")
          .Append(r.ImagesPerSecond.ToString("N0", CultureInfo.InvariantCulture)).Append(" img/s");
        return sb.ToString();
    }

    internal static string Bar(int done, int total, int width)
    {
        int filled = total <= 0 ? 0 : (int)Math.Clamp((long)done * width / total, 0, width);
        var sb = new StringBuilder("[");
        sb.Append('=', filled);
        if (filled < width) sb.Append('>').Append(' ', width - filled - 1);
        return sb.Append(']').ToString();
    }

    internal static string Number(double v) => double.IsNaN(v) ? "nan" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    internal static string Percent(double v) => (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    internal static string Duration(TimeSpan t)
    {
        long seconds = (long)Math.Round(t.TotalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }

    internal static string StopLine(string reason) => "stopped: " + reason;

    // ---- sinks -----------------------------------------------------------------------------

    private sealed class SilentProgress : IProgressSink
    {
        public void FitStarted(int firstEpoch, int lastEpoch, int batchesPerEpoch) { }
        public void BatchEnded(ProgressSnapshot snapshot) { }
        public void EpochEnded(EpochRecord record, int lastEpoch) { }
        public void FitEnded(History history, string? stopReason) { }
    }

    private sealed class LineProgress(TextWriter writer) : IProgressSink
    {
        public void FitStarted(int firstEpoch, int lastEpoch, int batchesPerEpoch) { }

        public void BatchEnded(ProgressSnapshot snapshot) { }

        public void EpochEnded(EpochRecord record, int lastEpoch)
        {
            writer.Write(FormatEpoch(record, lastEpoch) + "\n");
            writer.Flush();
        }

        public void FitEnded(History history, string? stopReason)
        {
            if (stopReason is null) return;
            writer.Write(StopLine(stopReason) + "\n");
            writer.Flush();
        }
    }

    private sealed class TerminalProgress(TextWriter writer, TimeSpan minInterval) : IProgressSink
    {
        private readonly Stopwatch clock = new();
        private int lastLength;

        public void FitStarted(int firstEpoch, int lastEpoch, int batchesPerEpoch)
        {
            clock.Restart();
            lastLength = 0;
        }

        public void BatchEnded(ProgressSnapshot snapshot)
        {
            bool last = snapshot.Batches > 0 && snapshot.Batch >= snapshot.Batches;
            if (snapshot.Batch > 1 && !last && clock.Elapsed < minInterval) return;
            clock.Restart();
            Redraw(FormatRunning(snapshot));
            writer.Flush();
        }

        public void EpochEnded(EpochRecord record, int lastEpoch)
        {
            Redraw(FormatEpoch(record, lastEpoch));
            writer.Write("\n");
            lastLength = 0;
            writer.Flush();
        }

        public void FitEnded(History history, string? stopReason)
        {
            if (lastLength > 0) writer.Write("\n");
            lastLength = 0;
            if (stopReason is not null) writer.Write(StopLine(stopReason) + "\n");
            writer.Flush();
        }

        private void Redraw(string line)
        {
            // Pads with spaces over the rest of a longer previous line.
            writer.Write("\r" + line.PadRight(lastLength));
            lastLength = line.Length;
        }
    }

    private sealed class NotebookProgress(Func<object, object?> display, Func<ProgressView, object> render, TimeSpan minInterval) : IProgressSink
    {
        private readonly List<string> lines = new();
        private readonly List<EpochRecord> epochs = new();
        private readonly Stopwatch clock = new();
        private ProgressSnapshot? snapshot;
        private string? running;
        private double fraction = double.NaN;
        private object? handle;
        private MethodInfo? update;

        public void FitStarted(int firstEpoch, int lastEpoch, int batchesPerEpoch)
        {
            lines.Clear();
            epochs.Clear();
            snapshot = null;
            handle = null;
            clock.Restart();
            running = string.Create(CultureInfo.InvariantCulture, $"epoch {firstEpoch}/{lastEpoch} starting");
            fraction = 0;
            Show();
        }

        public void BatchEnded(ProgressSnapshot snapshot)
        {
            bool last = snapshot.Batches > 0 && snapshot.Batch >= snapshot.Batches;
            if (snapshot.Batch > 1 && !last && clock.Elapsed < minInterval) return;
            clock.Restart();
            this.snapshot = snapshot;
            running = FormatRunning(snapshot);
            fraction = snapshot.Batches > 0 ? (double)snapshot.Batch / snapshot.Batches : double.NaN;
            Show();
        }

        public void EpochEnded(EpochRecord record, int lastEpoch)
        {
            lines.Add(FormatEpoch(record, lastEpoch));
            epochs.Add(record);
            running = null;
            snapshot = null;
            Show();
        }

        public void FitEnded(History history, string? stopReason)
        {
            running = null;
            snapshot = null;
            if (stopReason is not null) lines.Add(StopLine(stopReason));
            Show();
        }

        private void Show()
        {
            var value = render(new ProgressView(lines.ToArray(), running, running is null ? double.NaN : fraction, epochs.ToArray(), snapshot));
            if (handle is null)
            {
                handle = display(value)
                    ?? throw new InvalidOperationException(
                        "Progress.Notebook: display(...) returned null; it must return the displayed value's handle (with an Update method)");
                return;
            }
            update ??= FindUpdate(handle.GetType(), value);
            var parameters = update.GetParameters();
            var args = new object?[parameters.Length];
            args[0] = value;
            for (int i = 1; i < parameters.Length; i++)
                args[i] = parameters[i].IsDefined(typeof(ParamArrayAttribute))
                    ? Array.CreateInstance(parameters[i].ParameterType.GetElementType()!, 0)
                    : parameters[i].DefaultValue;
            try
            {
                update.Invoke(handle, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            }
        }

        // Update(object) as .NET Interactive's DisplayedValue and the course runner's handle have;
        // extra optional or params parameters (a mime type list) are allowed and left empty.
        private static MethodInfo FindUpdate(Type type, object value) =>
            type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.Name == "Update" && m.GetParameters() is { Length: >= 1 } ps &&
                            ps[0].ParameterType.IsInstanceOfType(value) &&
                            ps.Skip(1).All(p => p.IsOptional || p.IsDefined(typeof(ParamArrayAttribute))))
                .OrderBy(m => m.GetParameters().Length)
                .FirstOrDefault()
            ?? throw new InvalidOperationException($"Progress.Notebook: the handle that " +
                $"display(...) returned ({type.FullName}) has no public Update(object) method");
    }
}
