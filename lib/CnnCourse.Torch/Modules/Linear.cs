using CnnCourse.Torch.Native;
using F = CnnCourse.Torch.torch.nn.functional;

namespace CnnCourse.Torch.Modules;

/// <summary>
/// Fully connected layer (PyTorch's <c>nn.Linear</c>): y = x·weightᵀ + bias with weight
/// (out_features, in_features), initialised as PyTorch does (kaiming_uniform_(a = √5), bias
/// U(−1/√in_features, 1/√in_features)).
/// </summary>
public class Linear : Module
{
    public Parameter weight;
    public Parameter? bias;

    public Linear(long in_features, long out_features, bool bias = true, Device? device = null, ScalarType? dtype = null)
    {
        this.in_features = LayerChecks.NonNegative(in_features, nameof(in_features), nameof(Linear));
        this.out_features = LayerChecks.NonNegative(out_features, nameof(out_features), nameof(Linear));
        weight = Parameter.From(torch.empty(new[] { out_features, in_features }, dtype, device));
        this.bias = bias ? Parameter.From(torch.empty(new[] { out_features }, dtype, device)) : null;
        reset_parameters();
    }

    public long in_features { get; }
    public long out_features { get; }

    public void reset_parameters() => LayerInit.KaimingUniformWithBias(weight, bias);

    public override Tensor forward(Tensor input) => F.linear(input, weight, bias);

    public override string extra_repr() =>
        $"in_features={in_features}, out_features={out_features}, bias={PyRepr.Bool(bias is not null)}";
}

/// <summary>Passes its input through (a placeholder, e.g. for a removed classifier head).</summary>
public class Identity : Module
{
    /// <summary>A new handle to the same tensor (disposing one leaves the other usable).</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Check.Result(NativeMethods.cnt_tensor_alias(input.Handle), nameof(Identity));
    }
}

/// <summary>Merges dimensions start_dim … end_dim into one: (N, C, H, W) → (N, C·H·W) by default.</summary>
public class Flatten : Module
{
    public Flatten(long start_dim = 1, long end_dim = -1)
    {
        this.start_dim = start_dim;
        this.end_dim = end_dim;
    }

    public long start_dim { get; }
    public long end_dim { get; }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Check.Result(NativeMethods.cnt_nn_flatten(input.Handle, start_dim, end_dim), nameof(Flatten));
    }

    public override string extra_repr() => $"start_dim={start_dim}, end_dim={end_dim}";
}

/// <summary>Randomly zeroes elements with probability p in training (scaling the rest by 1/(1 − p)); identity in eval.</summary>
public class Dropout : Module
{
    public Dropout(double p = 0.5, bool inplace = false)
    {
        this.p = LayerChecks.Probability(p, nameof(Dropout));
        this.inplace = inplace;
    }

    public double p { get; }
    public bool inplace { get; }

    public override Tensor forward(Tensor input) => F.dropout(input, p, training, inplace);

    public override string extra_repr() => $"p={PyRepr.Float(p)}, inplace={PyRepr.Bool(inplace)}";
}

/// <summary>Randomly zeroes whole channels of (N, C, H, W) input with probability p in training; identity in eval.</summary>
public class Dropout2d : Module
{
    public Dropout2d(double p = 0.5, bool inplace = false)
    {
        this.p = LayerChecks.Probability(p, nameof(Dropout2d));
        this.inplace = inplace;
    }

    public double p { get; }
    public bool inplace { get; }

    public override Tensor forward(Tensor input) => F.dropout2d(input, p, training, inplace);

    public override string extra_repr() => $"p={PyRepr.Float(p)}, inplace={PyRepr.Bool(inplace)}";
}
