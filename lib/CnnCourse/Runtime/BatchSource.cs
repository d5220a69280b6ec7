using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Runtime;

/// <summary>
/// Where a trainer gets its data: a sequence of (X, Y) batches per epoch. Any loader
/// plugs in by implementing it (or through <see cref="BatchSource.From(IEnumerable{ValueTuple{Tensor, Tensor}})"/>).
/// <para>
/// Ownership: the trainer enumerates each batch inside its own dispose scope, so tensors the source
/// creates on the trainer's thread while producing a batch are freed after that batch, and tensors the
/// source keeps (a list of batches made in advance) are left alone. A source that hands over tensors
/// made elsewhere (on a prefetch thread, outside any scope) sets <see cref="TransfersOwnership"/>: the
/// trainer then disposes X and Y after each batch.
/// </para>
/// <para>
/// Data order: a shuffling source draws its order from <see cref="Seed.Random"/> (or derives it from a
/// seed and the epoch index), so that <see cref="Seed.Everything(long)"/> fixes it and a checkpoint,
/// which saves Seed.Random's state, resumes it. A source with other state implements
/// <see cref="IResumableSource"/>.
/// </para>
/// </summary>
public interface IBatchSource
{
    /// <summary>Batches per epoch, or -1 when unknown (the progress bar then shows no ETA).</summary>
    int Count { get; }

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based): X the inputs, Y the targets.</summary>
    IEnumerable<(Tensor X, Tensor Y)> Batches(int epoch);

    /// <summary>True when the consumer owns (and must dispose) every X and Y it receives.</summary>
    bool TransfersOwnership => false;

    /// <summary>
    /// The device the batches are on, or null when the source does not say (plain sequences). A
    /// source that names one owns the device: the trainer moves the model there, never the batches.
    /// </summary>
    Device? Device => null;
}

/// <summary>A batch source with state of its own that a checkpoint must save (beyond <see cref="Seed.Random"/>).</summary>
public interface IResumableSource
{
    /// <summary>The source's state as text, taken between epochs.</summary>
    string SaveState();

    /// <summary>Restores <see cref="SaveState"/>'s text before the next epoch.</summary>
    void LoadState(string state);
}

/// <summary>Adapters from plain sequences to <see cref="IBatchSource"/>.</summary>
public static class BatchSource
{
    /// <summary>
    /// The same batches every epoch (the sequence is enumerated afresh each epoch, so a lazy
    /// sequence that creates tensors is fine: they are freed after each batch).
    /// </summary>
    public static IBatchSource From(IEnumerable<(Tensor X, Tensor Y)> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        int count = batches is ICollection<(Tensor, Tensor)> c ? c.Count : batches is IReadOnlyCollection<(Tensor, Tensor)> r ? r.Count : -1;
        return new Delegated(_ => batches, count, false);
    }

    /// <summary>
    /// Batches made per epoch by <paramref name="batchesOfEpoch"/> (given the 0-based epoch index);
    /// <paramref name="count"/> batches per epoch (-1: unknown). With
    /// <paramref name="transfersOwnership"/>, the trainer disposes each X and Y after use.
    /// </summary>
    public static IBatchSource From(Func<int, IEnumerable<(Tensor X, Tensor Y)>> batchesOfEpoch, int count = -1, bool transfersOwnership = false)
    {
        ArgumentNullException.ThrowIfNull(batchesOfEpoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, -1);
        return new Delegated(batchesOfEpoch, count, transfersOwnership);
    }

    /// <summary>One batch: the whole of (X, Y).</summary>
    public static IBatchSource Single(Tensor X, Tensor Y)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        return From(new[] { (X, Y) });
    }

    private sealed class Delegated(Func<int, IEnumerable<(Tensor X, Tensor Y)>> batches, int count, bool owned) : IBatchSource
    {
        public int Count => count;
        public IEnumerable<(Tensor X, Tensor Y)> Batches(int epoch) => batches(epoch);
        public bool TransfersOwnership => owned;
    }
}
