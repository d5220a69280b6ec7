using F = CnnCourse.Torch.torch.nn.functional;
using Reduction = CnnCourse.Torch.torch.nn.Reduction;

namespace CnnCourse.Torch.Modules;

/// <summary>
/// Base of the loss modules: <c>criterion.call(output, target)</c> (or forward) computes the loss
/// of a prediction against its target, reduced as <see cref="reduction"/> says.
/// </summary>
public abstract class Loss : Module
{
    protected Loss(Reduction reduction)
    {
        if (reduction is not (Reduction.None or Reduction.Mean or Reduction.Sum))
            throw new ArgumentException($"{GetType().Name}: unknown reduction {(int)reduction}", nameof(reduction));
        this.reduction = reduction;
    }

    public Reduction reduction { get; }

    /// <summary>The loss of <paramref name="input"/> (the prediction) against <paramref name="target"/>.</summary>
    public abstract Tensor forward(Tensor input, Tensor target);

    /// <summary>PyTorch's <c>criterion(input, target)</c>.</summary>
    public Tensor call(Tensor input, Tensor target) => forward(input, target);

    /// <summary>A loss needs a target: call forward(input, target).</summary>
    public override Tensor forward(Tensor input) =>
        throw new InvalidOperationException($"{GetType().Name} compares a prediction with a target: call forward(input, target) or call(input, target)");
}

/// <summary>
/// Cross entropy of logits against class indices or class probabilities, with optional per-class
/// weight, ignore_index and label smoothing (PyTorch's <c>nn.CrossEntropyLoss</c>).
/// </summary>
public class CrossEntropyLoss : Loss
{
    /// <summary>The per-class weight (a buffer, as in PyTorch), or null.</summary>
    public Tensor? weight;

    public CrossEntropyLoss(Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
        : base(reduction)
    {
        if (!(label_smoothing >= 0 && label_smoothing <= 1))
            throw new ArgumentException($"CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0, but got {PyRepr.Float(label_smoothing)}", nameof(label_smoothing));
        if (weight is not null) register_buffer(nameof(weight), weight);
        this.ignore_index = ignore_index;
        this.label_smoothing = label_smoothing;
    }

    public long ignore_index { get; }
    public double label_smoothing { get; }

    public override Tensor forward(Tensor input, Tensor target) =>
        F.cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing);
}

/// <summary>Negative log-likelihood of class indices under log-probabilities (PyTorch's <c>nn.NLLLoss</c>).</summary>
public class NLLLoss : Loss
{
    /// <summary>The per-class weight (a buffer, as in PyTorch), or null.</summary>
    public Tensor? weight;

    public NLLLoss(Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        if (weight is not null) register_buffer(nameof(weight), weight);
        this.ignore_index = ignore_index;
    }

    public long ignore_index { get; }

    public override Tensor forward(Tensor input, Tensor target) => F.nll_loss(input, target, weight, ignore_index, reduction);
}

/// <summary>Mean squared error (PyTorch's <c>nn.MSELoss</c>).</summary>
public class MSELoss : Loss
{
    public MSELoss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    public override Tensor forward(Tensor input, Tensor target) => F.mse_loss(input, target, reduction);
}
