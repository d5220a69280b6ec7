using System.Text.Json.Nodes;
using CnnCourse.Torch.Optim;

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
/// Steps a learning-rate scheduler during training: after every batch or after every epoch.
/// By default OneCycleLR steps per batch and every other scheduler per epoch;
/// <see cref="ReduceLROnPlateau"/> is given the monitored metric (by default the validation loss,
/// or the training loss when there is no validation data). The scheduler's state is part of every
/// full checkpoint. <c>Trainer.Scheduler</c> is a shortcut for this callback.
/// </summary>
public sealed class LRSchedule : Callback
{
    private readonly string? monitor;

    public LRSchedule(LRScheduler scheduler, ScheduleInterval? interval = null, string? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (monitor is not null) History.Column(monitor);
        Scheduler = scheduler;
        Interval = interval ?? (scheduler is OneCycleLR ? ScheduleInterval.Batch : ScheduleInterval.Epoch);
        if (Interval == ScheduleInterval.Batch && scheduler is ReduceLROnPlateau)
            throw new ArgumentException("ReduceLROnPlateau watches a per-epoch metric; step it per epoch", nameof(interval));
        this.monitor = monitor;
    }

    public LRScheduler Scheduler { get; }

    public ScheduleInterval Interval { get; }

    /// <summary>The metric given to ReduceLROnPlateau (null: val_loss when validated, else train_loss).</summary>
    public string? Monitor => monitor;

    public override int Order => -100;

    public override void OnBatchEnd(Trainer trainer, BatchResult batch)
    {
        if (Interval == ScheduleInterval.Batch) Scheduler.step();
    }

    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (Interval != ScheduleInterval.Epoch) return;
        if (Scheduler is ReduceLROnPlateau plateau)
        {
            string metric = monitor ?? (record.HasValidation ? "val_loss" : "train_loss");
            double value = record[metric];
            if (double.IsNaN(value))
                throw new InvalidOperationException($"ReduceLROnPlateau watches {metric}, which epoch {record.Epoch} did not measure" +
                    (metric.StartsWith("val", StringComparison.Ordinal) ? " (was Fit given validation data?)" : ""));
            plateau.step(value);
        }
        else Scheduler.step();
    }

    public override CallbackState SaveState() => new(new JsonObject
    {
        ["type"] = Scheduler.GetType().Name,
        ["state"] = JsonNode.Parse(Scheduler.state_dict().ToJson()),
    });

    public override void LoadState(CallbackState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string? type = state.Values["type"]?.GetValue<string>();
        if (type != Scheduler.GetType().Name)
            throw new InvalidOperationException($"the checkpoint's scheduler is a {type}, this run's is a {Scheduler.GetType().Name}");
        var values = state.Values["state"] as JsonObject ?? throw new InvalidOperationException("the checkpoint's scheduler state is missing");
        Scheduler.load_state_dict(SchedulerStateDict.FromJson(values.ToJsonString()));
    }
}
