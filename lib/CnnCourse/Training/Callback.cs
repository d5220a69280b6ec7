using System.Text.Json.Nodes;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit(IBatchSource, IBatchSource?, int, Callback[])"/>: override the
/// moments you need. Callbacks run in ascending <see cref="Order"/> (then in the order given):
/// learning-rate schedules first, checkpoints last. Tensors a callback creates inside a hook are
/// freed when the hook returns unless it takes them out of the dispose scope
/// (<c>DetachFromDisposeScope()</c>) and disposes them itself.
/// <para>
/// A callback with state that a resumed run needs (the best value so far, a patience counter, a
/// scheduler) returns it from <see cref="SaveState"/>; <see cref="Trainer.SaveCheckpoint"/> stores it
/// under <see cref="StateKey"/>, and after <see cref="Trainer.LoadCheckpoint"/> the next Fit hands it
/// back to the callback with the same key through <see cref="LoadState"/>, before the first epoch.
/// </para>
/// </summary>
public abstract class Callback
{
    /// <summary>Run order: lower first. LRSchedule −100, the default 0, ModelCheckpoint 100.</summary>
    public virtual int Order => 0;

    /// <summary>The name of this callback's state in a checkpoint (by default its type's name).</summary>
    public virtual string StateKey => GetType().Name;

    /// <summary>Before the first epoch of a Fit call.</summary>
    public virtual void OnFitStart(Trainer trainer) { }

    /// <summary>Before epoch <paramref name="epoch"/> (1-based) trains.</summary>
    public virtual void OnEpochStart(Trainer trainer, int epoch) { }

    /// <summary>After each training batch's optimizer step.</summary>
    public virtual void OnBatchEnd(Trainer trainer, BatchResult batch) { }

    /// <summary>
    /// After an epoch was trained and validated and recorded in <see cref="Trainer.History"/>
    /// (<see cref="Trainer.Epoch"/> already counts it). Call <see cref="Trainer.Stop"/> to end training.
    /// </summary>
    public virtual void OnEpochEnd(Trainer trainer, EpochRecord record) { }

    /// <summary>After the last epoch of a Fit call (also when it stopped early; not when it failed).</summary>
    public virtual void OnFitEnd(Trainer trainer) { }

    /// <summary>The state a resumed run needs, or null for none.</summary>
    public virtual CallbackState? SaveState() => null;

    /// <summary>Restores <see cref="SaveState"/>'s state (its tensors are disposed after this returns: copy what you keep).</summary>
    public virtual void LoadState(CallbackState state) { }
}

/// <summary>One training batch's outcome, given to <see cref="Callback.OnBatchEnd"/>.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">1-based batch index within the epoch.</param>
/// <param name="Step">Optimizer steps taken so far in the whole run (this one included).</param>
/// <param name="Loss">The batch's mean loss.</param>
/// <param name="Correct">Correctly classified samples (-1 when the targets are not class indices).</param>
/// <param name="Size">Samples in the batch.</param>
/// <param name="StepSkipped">True when a fp16 gradient scaler found inf/NaN gradients and skipped the step.</param>
public sealed record BatchResult(int Epoch, int Batch, long Step, double Loss, long Correct, long Size, bool StepSkipped);

/// <summary>
/// A callback's saved state: JSON values and named tensors. The tensors are owned by the state
/// (<see cref="Dispose"/> frees them).
/// </summary>
public sealed class CallbackState : IDisposable
{
    public CallbackState(JsonObject values, IReadOnlyDictionary<string, Tensor>? tensors = null)
    {
        Check.NotNull(values, nameof(values), "Callback");
        Values = values;
        Tensors = tensors ?? new Dictionary<string, Tensor>();
    }

    public JsonObject Values { get; }

    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
