using F = CnnCourse.Torch.torch.nn.functional;

namespace CnnCourse.Torch.Modules;

/// <summary>
/// Batch normalization over the channels of (N, C, H, W) input (PyTorch's <c>nn.BatchNorm2d</c>).
/// Parameters weight (ones) and bias (zeros) when affine; buffers running_mean (zeros),
/// running_var (ones) and num_batches_tracked (int64 0) when track_running_stats. In training,
/// batch statistics normalize and the running statistics are updated with
/// running = (1 − momentum)·running + momentum·batch (unbiased variance); momentum null uses the
/// cumulative average (momentum = 1 / num_batches_tracked). In eval the running statistics
/// normalize.
/// </summary>
public class BatchNorm2d : Module
{
    public Parameter? weight;
    public Parameter? bias;
    public Tensor? running_mean;
    public Tensor? running_var;
    public Tensor? num_batches_tracked;

    public BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
                       bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
    {
        this.num_features = LayerChecks.Positive(num_features, nameof(num_features), nameof(BatchNorm2d));
        if (!(eps >= 0)) throw new ArgumentException($"BatchNorm2d: eps must be non-negative, but got {eps}", nameof(eps));
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.track_running_stats = track_running_stats;
        if (affine)
        {
            weight = Parameter.From(torch.ones(new[] { num_features }, dtype, device));
            bias = Parameter.From(torch.zeros(new[] { num_features }, dtype, device));
        }
        if (track_running_stats)
        {
            register_buffer(nameof(running_mean), torch.zeros(new[] { num_features }, dtype, device));
            register_buffer(nameof(running_var), torch.ones(new[] { num_features }, dtype, device));
            register_buffer(nameof(num_batches_tracked), torch.zeros(Array.Empty<long>(), torch.int64, device));
        }
    }

    public long num_features { get; }
    public double eps { get; }
    public double? momentum { get; }
    public bool affine { get; }
    public bool track_running_stats { get; }

    /// <summary>Running statistics back to mean 0, variance 1, no batches seen.</summary>
    public void reset_running_stats()
    {
        if (!track_running_stats) return;
        torch.nn.init.zeros_(running_mean!);
        torch.nn.init.ones_(running_var!);
        torch.nn.init.zeros_(num_batches_tracked!);
    }

    /// <summary>Running statistics and the affine parameters back to their initial values.</summary>
    public void reset_parameters()
    {
        reset_running_stats();
        if (!affine) return;
        torch.nn.init.ones_(weight!);
        torch.nn.init.zeros_(bias!);
    }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int dim = input.dim();
        if (dim != 4) throw new ArgumentException($"BatchNorm2d: expected 4D input (got {dim}D input)", nameof(input));

        double factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(1);
            if (momentum is null) factor = 1.0 / num_batches_tracked.item<long>();
        }
        // batch statistics in training, or when there are no running statistics to use
        bool useBatchStats = training || (running_mean is null && running_var is null);
        bool passRunning = !training || track_running_stats;
        return F.batch_norm(input, passRunning ? running_mean : null, passRunning ? running_var : null,
            weight, bias, useBatchStats, factor, eps);
    }

    public override string extra_repr() =>
        $"{num_features}, eps={PyRepr.Float(eps)}, momentum={(momentum is { } m ? PyRepr.Float(m) : "None")}, " +
        $"affine={PyRepr.Bool(affine)}, track_running_stats={PyRepr.Bool(track_running_stats)}";
}

/// <summary>
/// Layer normalization over the last dimensions (PyTorch's <c>nn.LayerNorm</c>), with an
/// element-wise weight (ones) and bias (zeros) of normalized_shape when elementwise_affine.
/// </summary>
public class LayerNorm : Module
{
    public Parameter? weight;
    public Parameter? bias;

    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(normalized_shape);
        foreach (var s in normalized_shape) LayerChecks.NonNegative(s, nameof(normalized_shape), nameof(LayerNorm));
        var shape = (long[])normalized_shape.Clone();
        this.normalized_shape = shape;
        this.eps = eps;
        this.elementwise_affine = elementwise_affine;
        if (elementwise_affine)
        {
            weight = Parameter.From(torch.ones(shape, dtype, device));
            bias = Parameter.From(torch.zeros(shape, dtype, device));
        }
    }

    public LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
        : this(new[] { normalized_shape }, eps, elementwise_affine, device, dtype) { }

    public IReadOnlyList<long> normalized_shape { get; }
    public double eps { get; }
    public bool elementwise_affine { get; }

    public override Tensor forward(Tensor input) => F.layer_norm(input, normalized_shape.ToArray(), weight, bias, eps);

    public override string extra_repr() =>
        $"{PyRepr.Tuple(normalized_shape)}, eps={PyRepr.Float(eps)}, elementwise_affine={PyRepr.Bool(elementwise_affine)}";
}

/// <summary>Local response normalization across channels (AlexNet; PyTorch's <c>nn.LocalResponseNorm</c>).</summary>
public class LocalResponseNorm : Module
{
    public LocalResponseNorm(long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0)
    {
        this.size = LayerChecks.Positive(size, nameof(size), nameof(LocalResponseNorm));
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    public long size { get; }
    public double alpha { get; }
    public double beta { get; }
    public double k { get; }

    public override Tensor forward(Tensor input) => F.local_response_norm(input, size, alpha, beta, k);

    public override string extra_repr() => $"{size}, alpha={PyRepr.Float(alpha)}, beta={PyRepr.Float(beta)}, k={PyRepr.Float(k)}";
}
