using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

/// <summary>
/// Finite-difference gradient checks in float64, like torch.autograd.gradcheck: each element of
/// each checked input is perturbed by ±eps, and the central difference (L(x+eps) − L(x−eps)) / 2eps
/// is compared with autograd's gradient. Non-scalar outputs are reduced to the scalar
/// L = Σ output ⊙ R with a fixed pseudo-random R, so every output element's gradient matters
/// (a plain sum would hide errors, e.g. softmax's rows always sum to 1).
/// </summary>
internal static class GradCheck
{
    /// <param name="function">the computation; it receives fresh float64 tensors with the inputs' values.</param>
    /// <param name="inputs">float64 inputs (their values and shapes are read, the tensors are not changed).</param>
    /// <param name="check">which inputs to differentiate (default: all).</param>
    public static void Assert(Func<Tensor[], Tensor> function, Tensor[] inputs, bool[]? check = null,
                              double eps = 1e-6, double atol = 1e-5, double rtol = 1e-4, int seed = 1234)
    {
        check ??= inputs.Select(_ => true).ToArray();
        Xunit.Assert.Equal(inputs.Length, check.Length);
        foreach (var input in inputs) Xunit.Assert.Equal(ScalarType.Float64, input.dtype);

        var values = inputs.Select(t => t.ToArray<double>()).ToArray();
        var shapes = inputs.Select(t => t.shape).ToArray();
        double[]? probe = null;

        // The scalar L for the given input values, and (optionally) autograd's gradients.
        double Evaluate(double[][] at, double[][]? gradients)
        {
            using var scope = torch.NewDisposeScope();
            var leaves = new Tensor[at.Length];
            for (int i = 0; i < at.Length; i++)
                leaves[i] = torch.tensor(at[i], shapes[i], requires_grad: gradients is not null && check[i]);
            var output = function(leaves);
            Xunit.Assert.Equal(ScalarType.Float64, output.dtype);
            if (probe is null)
            {
                var random = new Random(seed);
                probe = Enumerable.Range(0, (int)output.numel()).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            }
            var weights = torch.tensor(probe, output.shape);
            var loss = (output * weights).sum();
            if (gradients is not null)
            {
                loss.backward();
                for (int i = 0; i < at.Length; i++)
                    if (check[i])
                    {
                        var g = leaves[i].grad;
                        gradients[i] = g is null ? new double[at[i].Length] : g.ToArray<double>();
                    }
            }
            return loss.item<double>();
        }

        var analytic = new double[inputs.Length][];
        Evaluate(values, analytic);

        using (torch.no_grad())
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                if (!check[i]) continue;
                for (int j = 0; j < values[i].Length; j++)
                {
                    double original = values[i][j];
                    values[i][j] = original + eps;
                    double plus = Evaluate(values, null);
                    values[i][j] = original - eps;
                    double minus = Evaluate(values, null);
                    values[i][j] = original;
                    double numeric = (plus - minus) / (2 * eps);
                    double a = analytic[i][j];
                    if (Math.Abs(a - numeric) > atol + rtol * Math.Abs(numeric))
                        Xunit.Assert.Fail($"gradient of input {i} at flat index {j}: autograd {a:R}, finite difference {numeric:R}");
                }
            }
        }
    }

    /// <summary>A float64 tensor of reproducible uniform values in [low, high).</summary>
    public static Tensor Random(long[] shape, int seed, double low = -1, double high = 1)
    {
        var random = new Random(seed);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = Enumerable.Range(0, (int)count).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
        return torch.tensor(data, shape);
    }
}
