using System.Diagnostics;
using System.Text;
using CnnCourse.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>
/// Inference latency: timed forward passes after a warm-up, summarised by the median (robust to
/// the occasional slow run) and the 10th and 90th percentiles.
/// <code>
/// var latency = Latency.Measure(net, X, warmup: 5, runs: 30);   // "resnet18: median 21.4 ms (p10 20.9, p90 22.8) …"
/// </code>
/// A model runs in evaluation mode under no_grad (its modes are restored). On a GPU the device is
/// synchronised before the clock starts and after every run, since CUDA calls return before the
/// work is done. Each run's output is freed after its time is taken.
/// </summary>
public static class Latency
{
    /// <summary>
    /// Times <paramref name="model"/> on <paramref name="input"/>: <paramref name="warmup"/> untimed runs, then <paramref name="runs"/> timed ones.
    /// </summary>
    public static LatencyResult Measure(nn.Module<Tensor, Tensor> model, Tensor input, int warmup = 5, int runs = 20, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        CheckCounts(warmup, runs);
        using var mode = new InferenceMode(model);
        return Time(() => model.call(input), warmup, runs, input.device_type == DeviceType.CUDA,
                    label ?? Summary.Type(model), input.device.ToString(), input.shape);
    }

    /// <summary>Times <paramref name="action"/> (any code); <paramref name="synchronizeCuda"/> waits for the GPU after each run.</summary>
    public static LatencyResult Measure(Action action, int warmup = 5, int runs = 20, bool synchronizeCuda = false, string label = "")
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckCounts(warmup, runs);
        return Time(action, warmup, runs, synchronizeCuda, label, synchronizeCuda ? "cuda" : "", null);
    }

    private static void CheckCounts(int warmup, int runs)
    {
        if (warmup < 0) throw new ArgumentException($"Latency: warmup must be 0 or more, but got {warmup}", nameof(warmup));
        if (runs < 1) throw new ArgumentException($"Latency: runs must be at least 1, but got {runs}", nameof(runs));
    }

    private static LatencyResult Time(Action action, int warmup, int runs, bool cuda, string label, string device, long[]? shape)
    {
        void Run()
        {
            using var scope = torch.NewDisposeScope();
            action();
            if (cuda) torch.cuda.synchronize();
        }
        for (int i = 0; i < warmup; i++) Run();
        if (cuda) torch.cuda.synchronize();
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            using var scope = torch.NewDisposeScope();
            long start = Stopwatch.GetTimestamp();
            action();
            if (cuda) torch.cuda.synchronize();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return new LatencyResult(label, device, shape, warmup, times);
    }
}

/// <summary>The times of <see cref="Latency.Measure(nn.Module{Tensor, Tensor}, Tensor, int, int, string?)"/>, in milliseconds.</summary>
[TypeFormatterSource(typeof(LatencyFormatterSource), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed class LatencyResult
{
    internal LatencyResult(string label, string device, IReadOnlyList<long>? inputShape, int warmup, double[] timesMs)
    {
        Label = label;
        Device = device;
        InputShape = inputShape;
        Warmup = warmup;
        TimesMs = timesMs;
        var sorted = timesMs.Order().ToArray();
        MedianMs = Percentile(sorted, 50);
        P10Ms = Percentile(sorted, 10);
        P90Ms = Percentile(sorted, 90);
        MeanMs = timesMs.Average();
        MinMs = sorted[0];
        MaxMs = sorted[^1];
    }

    /// <summary>What was timed (the model's class name unless given).</summary>
    public string Label { get; }

    /// <summary>"cpu", "cuda:0" (the input's device); for an action, "cuda" when synchronising, else "".</summary>
    public string Device { get; }

    /// <summary>The input's shape, batch included (null when timing an action).</summary>
    public IReadOnlyList<long>? InputShape { get; }

    public int Warmup { get; }

    public int Runs => TimesMs.Count;

    /// <summary>Every timed run, in order.</summary>
    public IReadOnlyList<double> TimesMs { get; }

    public double MedianMs { get; }

    /// <summary>The 10th percentile (linear interpolation between order statistics, as numpy's default).</summary>
    public double P10Ms { get; }

    /// <summary>The 90th percentile.</summary>
    public double P90Ms { get; }

    public double MeanMs { get; }

    public double MinMs { get; }

    public double MaxMs { get; }

    /// <summary>Inputs per second at the median, for a batched input: batch size / median.</summary>
    public double? ItemsPerSecond => InputShape is { Count: > 0 } s ? s[0] / (MedianMs / 1000) : null;

    /// <summary>
    /// The <paramref name="percent"/> percentile of ascending <paramref name="sorted"/> values: linear between the closest ranks (numpy's default).
    /// </summary>
    internal static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        double position = percent / 100 * (sorted.Count - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Label.Length > 0) sb.Append(Label).Append(": ");
        sb.Append("median ").Append(Units.Milliseconds(MedianMs))
          .Append(" (p10 ").Append(Units.Milliseconds(P10Ms)).Append(", p90 ").Append(Units.Milliseconds(P90Ms)).Append(')')
          .Append(", ").Append(Runs).Append(Runs == 1 ? " run" : " runs").Append(" after ").Append(Warmup).Append(" warm-up");
        if (Device.Length > 0) sb.Append(", ").Append(Device);
        if (InputShape is not null) sb.Append(", input ").Append(Units.Shape(InputShape));
        return sb.ToString();
    }

    public string ToHtml()
    {
        var sb = new StringBuilder("<table class=\"cnn-latency\">\n");
        if (Label.Length > 0) sb.Append("<caption>").Append(Units.Html(Label)).Append("</caption>\n");
        void Row(string name, string value) =>
            sb.Append("<tr><th style=\"text-align: left\">").Append(Units.Html(name))
              .Append("</th><td style=\"text-align: right\">").Append(Units.Html(value)).Append("</td></tr>\n");
        Row("median", Units.Milliseconds(MedianMs));
        Row("p10", Units.Milliseconds(P10Ms));
        Row("p90", Units.Milliseconds(P90Ms));
        Row("mean", Units.Milliseconds(MeanMs));
        Row("min / max", $"{Units.Milliseconds(MinMs)} / {Units.Milliseconds(MaxMs)}");
        Row("runs (warm-up)", $"{Runs} ({Warmup})");
        if (Device.Length > 0) Row("device", Device);
        if (InputShape is not null) Row("input", Units.Shape(InputShape));
        if (ItemsPerSecond is { } ips) Row("inputs / s", ips.ToString("0.0", Units.Invariant));
        return sb.Append("</table>").ToString();
    }
}

/// <summary>Formats a <see cref="LatencyResult"/>: HTML and plain text.</summary>
public sealed class LatencyFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<LatencyResult>(MimeTypes.Html, r => r.ToHtml());
        yield return ConventionFormatter.For<LatencyResult>(MimeTypes.PlainText, r => r.ToString());
    }
}
