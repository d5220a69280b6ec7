using System.Globalization;
using System.Text.Json.Nodes;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Training;

/// <summary>
/// Stops training when <see cref="Monitor"/> has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs and, with
/// <see cref="RestoreBestWeights"/> (the default), leaves the model with the weights of its best
/// epoch (copies kept in memory, one per improvement). Mode "min" for losses, "max" for
/// accuracies (chosen from the metric's name unless given). The counters restart at each Fit, and
/// resume from a checkpoint.
/// </summary>
public sealed class EarlyStopping : Callback, IDisposable
{
    private Dictionary<string, Tensor>? bestWeights;

    public EarlyStopping(string monitor = "val_loss", int patience = 5, double minDelta = 0, string? mode = null, bool restoreBestWeights = true)
    {
        Check.NotNegative(patience, nameof(patience), nameof(EarlyStopping));
        Check.NotNegative(minDelta, nameof(minDelta), nameof(EarlyStopping));
        Mode = History.Mode(monitor, mode);
        Monitor = monitor;
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    public string Monitor { get; }
    public string Mode { get; }
    public int Patience { get; }
    public double MinDelta { get; }
    public bool RestoreBestWeights { get; }

    /// <summary>The best value seen (NaN before the first epoch).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The epoch that reached <see cref="Best"/> (0 before the first epoch).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Epochs since the last improvement.</summary>
    public int Wait { get; private set; }

    /// <summary>The epoch after which training stopped, or null while it has not.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <summary>The epoch whose weights were put back at the end of the last Fit, or null.</summary>
    public int? RestoredEpoch { get; private set; }

    public override void OnFitStart(Trainer trainer)
    {
        Best = double.NaN;
        BestEpoch = 0;
        Wait = 0;
        StoppedEpoch = null;
        RestoredEpoch = null;
        DisposeWeights();
    }

    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        double value = record[Monitor];
        if (double.IsNaN(value))
            throw new InvalidOperationException($"EarlyStopping monitors {Monitor}, which epoch {record.Epoch} did not measure" +
                (Monitor.StartsWith("val", StringComparison.Ordinal) ? " (was Fit given validation data?)" : ""));
        bool improved = BestEpoch == 0 || (Mode == "max" ? value - MinDelta > Best : value + MinDelta < Best);
        if (improved)
        {
            Best = value;
            BestEpoch = record.Epoch;
            Wait = 0;
            if (RestoreBestWeights) Snapshot(trainer);
            return;
        }
        Wait++;
        if (Wait >= Patience)
        {
            StoppedEpoch = record.Epoch;
            trainer.Stop(string.Create(CultureInfo.InvariantCulture,
                $"early stopping: {Monitor} did not improve for {Wait} epoch{(Wait == 1 ? "" : "s")} (best {Best:0.####} at epoch {BestEpoch})"));
        }
    }

    public override void OnFitEnd(Trainer trainer)
    {
        if (RestoreBestWeights && bestWeights is not null && BestEpoch != trainer.Epoch)
        {
            trainer.Model.load_state_dict(bestWeights);
            RestoredEpoch = BestEpoch;
        }
        DisposeWeights();
    }

    private void Snapshot(Trainer trainer)
    {
        var copy = new Dictionary<string, Tensor>();
        try
        {
            using (torch.no_grad())
                foreach (var (name, t) in trainer.Model.state_dict())
                    copy[name] = t.clone().DetachFromDisposeScope();
        }
        catch
        {
            foreach (var t in copy.Values) t.Dispose();
            throw;
        }
        DisposeWeights();
        bestWeights = copy;
    }

    private void DisposeWeights()
    {
        if (bestWeights is null) return;
        foreach (var t in bestWeights.Values) t.Dispose();
        bestWeights = null;
    }

    public override CallbackState SaveState()
    {
        var values = new JsonObject
        {
            ["monitor"] = Monitor,
            ["best"] = double.IsNaN(Best) ? null : Best,
            ["best_epoch"] = BestEpoch,
            ["wait"] = Wait,
        };
        var tensors = new Dictionary<string, Tensor>();
        if (bestWeights is not null)
            foreach (var (name, t) in bestWeights) tensors[name] = t.clone();
        return new CallbackState(values, tensors);
    }

    public override void LoadState(CallbackState state)
    {
        Check.NotNull(state, nameof(state), "EarlyStopping");
        if (state.Values["monitor"]?.GetValue<string>() != Monitor)
            throw new InvalidOperationException($"the checkpoint's EarlyStopping monitored {state.Values["monitor"]}, this one monitors {Monitor}");
        Best = state.Values["best"]?.GetValue<double>() ?? double.NaN;
        BestEpoch = state.Values["best_epoch"]!.GetValue<int>();
        Wait = state.Values["wait"]!.GetValue<int>();
        DisposeWeights();
        if (state.Tensors.Count > 0)
            bestWeights = state.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
    }

    public void Dispose() => DisposeWeights();
}
