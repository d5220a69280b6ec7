using CnnCourse.Torch;

namespace CnnCourse.Training;

/// <summary>Gradient clipping (PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>), built from tensor ops.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their global L2 norm
    /// (the norm of all gradients as one vector) is at most <paramref name="maxNorm"/>: each is
    /// multiplied by <c>maxNorm / (norm + 1e-6)</c> when that is below 1, as PyTorch does.
    /// Parameters without a gradient are skipped. Returns the norm before clipping (infinite or
    /// NaN when a gradient is; then nothing is scaled unless <paramref name="errorIfNonfinite"/> throws).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive");
        using var scope = torch.NewDisposeScope();
        var grads = new List<Tensor>();
        foreach (var p in parameters)
            if (p.grad is { } g) grads.Add(g);
        if (grads.Count == 0) return 0;
        double norm = Math.Sqrt(SumOfSquares(grads));
        if (!double.IsFinite(norm))
        {
            if (errorIfNonfinite)
                throw new InvalidOperationException($"the total norm of the gradients is {norm}; the gradients cannot be clipped");
            return norm;
        }
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
            using (torch.no_grad())
                foreach (var g in grads) g.mul_(coefficient);
        return norm;
    }

    /// <summary>Σ g² over every element of every tensor, accumulated in float64 (one device-to-host read).</summary>
    internal static double SumOfSquares(IReadOnlyList<Tensor> tensors)
    {
        using var scope = torch.NewDisposeScope();
        Tensor? total = null;
        foreach (var g in tensors)
        {
            var squares = g.mul(g).sum(ScalarType.Float64);
            total = total is null ? squares : total.add(squares);
        }
        return total?.item<double>() ?? 0;
    }

    /// <summary>Whether every element of every tensor is finite (one device-to-host read).</summary>
    internal static bool AllFinite(IReadOnlyList<Tensor> tensors)
    {
        using var scope = torch.NewDisposeScope();
        Tensor? total = null;
        foreach (var g in tensors)
        {
            // A sum is finite exactly when no element is inf or NaN (in float64 it cannot overflow from finite float32/16 values).
            var s = g.sum(ScalarType.Float64);
            total = total is null ? s : total.add(s);
        }
        return total is null || double.IsFinite(total.item<double>());
    }
}
