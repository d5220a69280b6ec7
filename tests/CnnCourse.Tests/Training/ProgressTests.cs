using CnnCourse.Training;
using CnnCourse.Visualization;

namespace CnnCourse.Tests.Training;

public class ProgressTests
{
    private static readonly EpochRecord Record = new(2, 0.41234, 0.8521, 0.39, 0.86, 0.05, 4.23, 14280.4);

    private static ProgressSnapshot Snapshot(int batch, int batches = 3) =>
        new(1, 1, batch, batches, batch * 32L, 0.5, 0.75, 1234.6, TimeSpan.FromSeconds(batch), batches > 0 ? TimeSpan.FromSeconds(batches - batch) : null);

    [Fact]
    public void Epoch_line_shows_losses_accuracies_rate_time_and_throughput()
    {
        Assert.Equal("epoch 2/10 loss 0.4123 acc 85.21% | val_loss 0.3900 val_acc 86.00% | lr 0.05 | 4.2 s, 14,280 img/s",
            Progress.FormatEpoch(Record, 10));
        Assert.Equal("epoch 2/10 loss 0.4123 acc 85.21% | lr 0.05 | 4.2 s, 14,280 img/s",
            Progress.FormatEpoch(Record with { ValLoss = double.NaN, ValAccuracy = double.NaN }, 10));
    }

    [Fact]
    public void Running_line_shows_a_bar_loss_accuracy_throughput_and_eta()
    {
        Assert.Equal("epoch 1/1 [======>             ] 1/3 loss 0.5000 acc 75.00% 1,235 img/s ETA 0:02", Progress.FormatRunning(Snapshot(1)));
        Assert.Equal("epoch 1/1 [====================] 3/3 loss 0.5000 acc 75.00% 1,235 img/s ETA 0:00", Progress.FormatRunning(Snapshot(3)));
        Assert.Equal("epoch 1/1 7 loss 0.5000 acc 75.00% 1,235 img/s", Progress.FormatRunning(Snapshot(7, -1)));
    }

    [Fact]
    public void Plain_lines_print_one_line_per_epoch_and_nothing_per_batch()
    {
        var w = new StringWriter();
        var sink = Progress.Lines(w);
        sink.FitStarted(2, 2, 3);
        for (int b = 1; b <= 3; b++) sink.BatchEnded(Snapshot(b));
        sink.EpochEnded(Record, 2);
        sink.FitEnded(new History([Record]), "early stopping: val_loss did not improve");
        Assert.Equal(Progress.FormatEpoch(Record, 2) + "\nstopped: early stopping: val_loss did not improve\n", w.ToString());
    }

    [Fact]
    public void Terminal_bar_redraws_one_line_and_keeps_the_epoch_line()
    {
        var w = new StringWriter();
        var sink = Progress.Terminal(w, TimeSpan.Zero);
        sink.FitStarted(1, 1, 3);
        for (int b = 1; b <= 3; b++) sink.BatchEnded(Snapshot(b));
        sink.EpochEnded(Record with { Epoch = 1 }, 1);
        sink.FitEnded(new History(), null);
        string text = w.ToString();
        var redraws = text.Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, redraws.Length);
        Assert.All(redraws[..3], r => Assert.DoesNotContain("\n", r));
        Assert.StartsWith("epoch 1/1 [======>", redraws[0]);
        // The epoch line pads over the longer running line, then ends the line.
        Assert.Equal(Progress.FormatEpoch(Record with { Epoch = 1 }, 1).PadRight(redraws[2].Length) + "\n", redraws[3]);
    }

    [Fact]
    public void Terminal_bar_throttles_redraws_but_always_draws_the_first_and_last_batch()
    {
        var w = new StringWriter();
        var sink = Progress.Terminal(w, TimeSpan.FromHours(1));
        sink.FitStarted(1, 1, 100);
        for (int b = 1; b <= 100; b++) sink.BatchEnded(Snapshot(b, 100));
        Assert.Equal(2, w.ToString().Count(c => c == '\r'));
    }

    public sealed class FakeHandle
    {
        public List<object> Updates { get; } = new();
        public void Update(object value) => Updates.Add(value);
    }

    // The shape of .NET Interactive's DisplayedValue.Update(object) is matched too when extra optional parameters exist.
    public sealed class HandleWithOptions
    {
        public List<object> Updates { get; } = new();
        public void Update(object value, params string[] mimeTypes) => Updates.Add(value);
    }

    [Fact]
    public void Notebook_progress_shows_one_display_and_updates_it()
    {
        var shown = new List<object>();
        var handle = new FakeHandle();
        var sink = Progress.Notebook(x => { shown.Add(x); return handle; }, minInterval: TimeSpan.Zero);
        sink.FitStarted(1, 2, 3);
        for (int b = 1; b <= 3; b++) sink.BatchEnded(Snapshot(b));
        sink.EpochEnded(Record with { Epoch = 1 }, 2);
        sink.EpochEnded(Record, 2);
        sink.FitEnded(new History(), null);
        Assert.Single(shown);
        Assert.Equal("epoch 1/2 starting", shown[0].ToString());
        Assert.Equal(6, handle.Updates.Count);
        var first = Assert.IsType<ProgressView>(handle.Updates[0]);
        Assert.Equal(Progress.FormatRunning(Snapshot(1)), first.ToString());
        Assert.Equal(1.0 / 3, first.Fraction);
        var last = Assert.IsType<ProgressView>(handle.Updates[^1]);
        Assert.Equal(Progress.FormatEpoch(Record with { Epoch = 1 }, 2) + "\n" + Progress.FormatEpoch(Record, 2), last.ToString());
        Assert.Null(last.Running);
        Assert.Equal([1, 2], last.Epochs.Select(r => r.Epoch));
    }

    [Fact]
    public void Notebook_progress_draws_the_curves_so_far_with_the_running_epoch_as_a_moving_point()
    {
        var handle = new FakeHandle();
        var sink = Progress.Notebook(_ => handle, minInterval: TimeSpan.Zero);
        sink.FitStarted(1, 2, 3);
        sink.BatchEnded(Snapshot(3) with { Epoch = 1, LastEpoch = 2 });
        sink.EpochEnded(Record with { Epoch = 1 }, 2);
        sink.BatchEnded(Snapshot(1) with { Epoch = 2, LastEpoch = 2, Loss = 0.3, Accuracy = 0.9 });

        var running = Assert.IsType<ProgressView>(handle.Updates[^1]);
        var figure = Assert.IsType<FigureRow>(running.Curves);
        Assert.Equal(running.Running, figure.Title);
        var loss = Assert.IsType<LineChart>(figure.Figures[0]);
        var train = loss.Series.Single(s => s.Name == "train");
        Assert.Equal([1, 1 + 1.0 / 3], train.X);                      // epoch 1, then a third of epoch 2
        Assert.Equal([Record.TrainLoss, 0.3], train.Y);
        var validation = loss.Series.Single(s => s.Name == "validation");
        Assert.Equal(Record.ValLoss, validation.Y[0]);
        Assert.True(double.IsNaN(validation.Y[1]));                  // not measured until the epoch ends
        var accuracy = Assert.IsType<LineChart>(figure.Figures[1]);
        Assert.Equal([100 * Record.TrainAccuracy, 90], accuracy.Series.Single(s => s.Name == "train").Y, new ToleranceComparer(1e-9));

        sink.EpochEnded(Record, 2);
        sink.FitEnded(new History(), null);
        var final = Assert.IsType<ProgressView>(handle.Updates[^1]);
        var finalLoss = Assert.IsType<LineChart>(Assert.IsType<FigureRow>(final.Curves).Figures[0]);
        Assert.Equal([1, 2], finalLoss.Series.Single(s => s.Name == "train").X);
        Assert.Equal(Progress.FormatEpoch(Record, 2), final.Curves.Title);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double v) => 0;
    }

    [Fact]
    public void Notebook_progress_finds_update_with_params_and_renders_through_the_given_function()
    {
        var handle = new HandleWithOptions();
        var sink = Progress.Notebook(_ => handle, render: view => new Uri("about:" + view.Lines.Count));
        sink.FitStarted(1, 1, 1);
        sink.EpochEnded(Record, 1);
        Assert.IsType<Uri>(Assert.Single(handle.Updates));
    }

    [Fact]
    public void Notebook_progress_explains_a_handle_without_update()
    {
        var sink = Progress.Notebook(_ => new object());
        sink.FitStarted(1, 1, 1);
        var e = Assert.Throws<InvalidOperationException>(() => sink.EpochEnded(Record, 1));
        Assert.Contains("Update(object)", e.Message);
    }
}
