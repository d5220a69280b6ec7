using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Training;

/// <summary>Gradient clipping (PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>), built from tensor ops.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their global L2 norm
    /// (the norm of all gradients as one vector) is at most <paramref name="maxNorm"/>: each is
    /// multiplied by <c>maxNorm / (norm + 1e-6)</c> when that is below 1, as PyTorch does (the
    /// norm is PyTorch's too: the norm of the per-tensor norms, in the gradients' dtype). Parameters
    /// without a gradient are skipped. Returns the norm before clipping (infinite or NaN when a
    /// gradient is; then nothing is scaled, or <paramref name="errorIfNonfinite"/> throws).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, bool errorIfNonfinite = false)
    {
        Check.NotNull(parameters, nameof(parameters), nameof(ClipGradNorm));
        Check.Positive(maxNorm, nameof(maxNorm), nameof(ClipGradNorm));
        using var scope = torch.NewDisposeScope();
        var grads = new List<Tensor>();
        foreach (var p in parameters)
            if (p.grad is { } g) grads.Add(g);
        if (grads.Count == 0) return 0;
        double norm = torch.stack(grads.Select(g => g.norm(2.0f)).ToList()).norm(2.0f).ToDouble();
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
}
