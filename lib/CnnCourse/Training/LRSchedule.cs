using System.Text.Json.Nodes;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using LRScheduler = TorchSharp.torch.optim.lr_scheduler.LRScheduler;
using OneCycleLR = TorchSharp.torch.optim.lr_scheduler.impl.OneCycleLR;
using ReduceLROnPlateau = TorchSharp.torch.optim.lr_scheduler.impl.ReduceLROnPlateau;

namespace CnnCourse.Training;

/// <summary>When a learning-rate scheduler steps.</summary>
public enum ScheduleInterval
{
    /// <summary>Once per epoch, after validation (StepLR, CosineAnnealingLR, ReduceLROnPlateau).</summary>
    Epoch,

    /// <summary>After every optimizer step (OneCycleLR, warm-up schedules).</summary>
    Batch,
}

/// <summary>
/// Steps one of TorchSharp's learning-rate schedulers (<c>torch.optim.lr_scheduler.*</c>) during
/// training: after every batch or after every epoch. By default OneCycleLR steps per batch and every
/// other scheduler per epoch; ReduceLROnPlateau is given the monitored metric (by default the
/// validation loss, or the training loss when there is no validation data).
/// <para>
/// TorchSharp's schedulers have no <c>state_dict</c>. A scheduler's state is a function of the steps
/// it took (and, for ReduceLROnPlateau, of the metrics it saw, which the history holds), so a
/// checkpoint records the number of steps and a resumed run replays them on a freshly built
/// scheduler; the optimizer's saved learning rates and momenta are then put back over the replay.
/// </para>
/// <c>Trainer.Scheduler</c> and <c>Trainer.FitOneCycle</c> are the usual ways to get one.
/// </summary>
public sealed class LRSchedule : Callback
{
    private readonly string? monitor;

    public LRSchedule(LRScheduler scheduler, ScheduleInterval? interval = null, string? monitor = null)
    {
        Check.NotNull(scheduler, nameof(scheduler), nameof(LRSchedule));
        if (monitor is not null) History.Column(monitor);
        Scheduler = scheduler;
        Interval = interval ?? (scheduler is OneCycleLR ? ScheduleInterval.Batch : ScheduleInterval.Epoch);
        Check.That(!(Interval == ScheduleInterval.Batch && scheduler is ReduceLROnPlateau), nameof(interval), nameof(LRSchedule),
            "ReduceLROnPlateau watches a per-epoch metric; step it per epoch.");
        this.monitor = monitor;
    }

    public LRScheduler Scheduler { get; }

    public ScheduleInterval Interval { get; }

    /// <summary>The metric given to ReduceLROnPlateau (null: val_loss when validated, else train_loss).</summary>
    public string? Monitor => monitor;

    /// <summary>Steps taken through this callback (saved in checkpoints, replayed on resume).</summary>
    public long Steps { get; private set; }

    public override int Order => -100;

    public override void OnBatchEnd(Trainer trainer, BatchResult batch)
    {
        if (Interval == ScheduleInterval.Batch) Step(null);
    }

    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (Interval == ScheduleInterval.Epoch) Step(record);
    }

    private void Step(EpochRecord? record)
    {
        if (Scheduler is ReduceLROnPlateau plateau)
        {
            string metric = monitor ?? (record!.HasValidation ? "val_loss" : "train_loss");
            double value = record![metric];
            if (double.IsNaN(value))
                throw new InvalidOperationException($"ReduceLROnPlateau watches {metric}, which epoch {record.Epoch} did not measure" +
                    (metric.StartsWith("val", StringComparison.Ordinal) ? " (was Fit given validation data?)" : ""));
            plateau.step(value);
        }
        else Scheduler.step();
        Steps++;
    }

    public override CallbackState SaveState() => new(new JsonObject
    {
        ["type"] = Scheduler.GetType().Name,
        ["interval"] = Interval.ToString(),
        ["steps"] = Steps,
    });

    public override void LoadState(CallbackState state) =>
        throw new InvalidOperationException("an LRSchedule is restored by the trainer (it replays the saved steps), not through LoadState");

    /// <summary>
    /// Replays <paramref name="steps"/> steps on this schedule's fresh scheduler: per batch, plain
    /// steps; per epoch, one step per epoch of <paramref name="history"/> (with its metric for
    /// ReduceLROnPlateau). A scheduler that is at the saved step already (the same run, reloaded) is left as it is.
    /// </summary>
    internal void Replay(JsonObject saved, History history)
    {
        string? type = saved["type"]?.GetValue<string>();
        if (type != Scheduler.GetType().Name)
            throw new InvalidOperationException($"the checkpoint's scheduler is a {type}, this run's is a {Scheduler.GetType().Name}");
        if (saved["interval"]?.GetValue<string>() is { } interval && interval != Interval.ToString())
            throw new InvalidOperationException($"the checkpoint's scheduler stepped per " +
                $"{interval.ToLowerInvariant()}, this run's steps per {Interval.ToString().ToLowerInvariant()}");
        long steps = saved["steps"]?.GetValue<long>() ?? throw new InvalidDataException("the checkpoint's scheduler state has no step count");
        if (Steps == steps) return;   // the same run, reloaded: the scheduler is there already
        if (Steps != 0)
            throw new InvalidOperationException($"this run's {type} has already taken {Steps} " +
                $"steps, the checkpoint's {steps}; a resumed run needs a freshly built scheduler");
        if (Interval == ScheduleInterval.Batch)
            for (long i = 0; i < steps; i++) Step(null);
        else
        {
            if (steps > history.Count)
                throw new InvalidDataException($"the checkpoint's scheduler took {steps} epoch steps, but its history holds {history.Count} epochs");
            for (int i = 0; i < steps; i++) Step(history[i]);
        }
    }
}
