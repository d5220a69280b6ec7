using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>The gradient of one parameter after a backward pass.</summary>
/// <param name="Name">The parameter's state-dict name ("features.0.weight").</param>
/// <param name="GradNorm">‖grad‖₂, or null when the parameter has no gradient (frozen, or not used by the loss).</param>
/// <param name="WeightNorm">‖parameter‖₂.</param>
public sealed record ParameterGradient(string Name, IReadOnlyList<long> Shape, double? GradNorm, double WeightNorm)
{
    /// <summary>‖grad‖ / ‖weight‖: the relative size of an SGD step (times the learning rate).</summary>
    public double? Ratio => GradNorm is { } g && WeightNorm > 0 ? g / WeightNorm : null;

    public override string ToString() => $"{Name} {Units.Shape(Shape)}: ‖grad‖ = {(GradNorm is { } g ? g.ToString("G4", Units.Invariant) : "none")}";
}

/// <summary>The gradient of one layer's own parameters (weight and bias together) after a backward pass.</summary>
/// <param name="Name">The layer's path ("features.0", "layer1.0.conv1").</param>
/// <param name="Type">The layer's class name.</param>
/// <param name="Depth">Its position among the layers with parameters, from 1 at the input side (in named_modules order).</param>
/// <param name="GradNorm">√(Σ ‖grad‖²) over its parameters that have a gradient; null when none has.</param>
/// <param name="WeightNorm">√(Σ ‖p‖²) over its parameters.</param>
public sealed record LayerGradient(string Name, string Type, int Depth, long Parameters, double? GradNorm, double WeightNorm)
{
    /// <summary>‖grad‖ / ‖weight‖.</summary>
    public double? Ratio => GradNorm is { } g && WeightNorm > 0 ? g / WeightNorm : null;

    public override string ToString() => $"{Depth}. {Name} ({Type}): ‖grad‖ = {(GradNorm is { } g ? g.ToString("G4", Units.Invariant) : "none")}";
}

/// <summary>
/// Gradient norms per parameter or per layer, read after <c>loss.backward()</c> (for the
/// vanishing-gradient lesson: in a deep plain network the early layers' norms are orders of
/// magnitude below the last layers').
/// <code>
/// loss.backward();
/// foreach (var layer in GradientNorms.PerLayer(net)) Console.WriteLine(layer);
/// </code>
/// </summary>
public static class GradientNorms
{
    /// <summary>Every parameter (each shared one once), in state-dict order.</summary>
    public static IReadOnlyList<ParameterGradient> PerParameter(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new List<ParameterGradient>();
        using var scope = torch.NewDisposeScope();
        foreach (var (name, p) in model.named_parameters())
        {
            var (grad, weight) = Norms(p);
            result.Add(new ParameterGradient(name, p.shape, grad, weight));
        }
        return result;
    }

    /// <summary>Every module that has parameters of its own, in PyTorch's named_modules order (input side first for sequential models).</summary>
    public static IReadOnlyList<LayerGradient> PerLayer(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new List<LayerGradient>();
        var seen = new HashSet<IntPtr>();
        using var scope = torch.NewDisposeScope();
        foreach (var (name, module, _) in ModuleTree.Walk(model))
        {
            double gradSquares = 0, weightSquares = 0;
            bool anyGrad = false;
            long count = 0;
            foreach (var (_, p) in module.named_parameters(recurse: false))
            {
                if (!seen.Add(p.Handle)) continue;
                count += p.numel();
                var (grad, weight) = Norms(p);
                weightSquares += weight * weight;
                if (grad is { } g)
                {
                    anyGrad = true;
                    gradSquares += g * g;
                }
            }
            if (count == 0) continue;
            result.Add(new LayerGradient(name.Length == 0 ? Summary.Type(module) : name, Summary.Type(module), result.Count + 1, count,
                                         anyGrad ? Math.Sqrt(gradSquares) : null, Math.Sqrt(weightSquares)));
        }
        return result;
    }

    // ‖grad‖ and ‖p‖, computed in float64 so that tiny (vanishing) norms do not underflow.
    private static (double? grad, double weight) Norms(Parameter p)
    {
        double weight = Norm(p);
        using var g = p.grad;
        return (g is null ? null : Norm(g), weight);
    }

    private static double Norm(Tensor t)
    {
        if (t.numel() == 0) return 0;
        using var detached = t.detach();
        using var wide = detached.to(ScalarType.Float64);
        using var norm = wide.norm();
        return norm.ToDouble();
    }
}
