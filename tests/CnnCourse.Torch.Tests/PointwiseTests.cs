using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

// Element-wise math, comparisons, clamp, where and the fused in-place updates. Transcendental
// values are float64 results of torch 1.13 (torch.exp(torch.tensor([0.5, 1., 2.], dtype=float64)), …);
// the rest are worked out by hand.
public class PointwiseTests
{
    private static float[] F(Tensor t) => t.ToArray<float>();
    private static double[] D(Tensor t) => t.ToArray<double>();
    private static bool[] B(Tensor t) => t.ToArray<bool>();

    public static TheoryData<string, double[]> Unary => new()
    {
        { "exp", new[] { 1.6487212707001282, 2.718281828459045, 7.38905609893065 } },
        { "log", new[] { -0.6931471805599453, 0.0, 0.6931471805599453 } },
        { "log1p", new[] { 0.4054651081081644, 0.6931471805599453, 1.0986122886681098 } },
        { "sqrt", new[] { 0.7071067811865476, 1.0, 1.4142135623730951 } },
        { "rsqrt", new[] { 1.414213562373095, 1.0, 0.7071067811865475 } },
        { "sigmoid", new[] { 0.6224593312018546, 0.7310585786300049, 0.8807970779778823 } },
        { "tanh", new[] { 0.46211715726000974, 0.7615941559557649, 0.9640275800758169 } },
        { "sin", new[] { 0.479425538604203, 0.8414709848078965, 0.9092974268256817 } },
        { "cos", new[] { 0.8775825618903728, 0.5403023058681398, -0.4161468365471424 } },
        { "square", new[] { 0.25, 1, 4 } },
        { "reciprocal", new[] { 2, 1, 0.5 } },
        { "log2", new[] { -1.0, 0, 1 } },
        { "exp_", new[] { 1.6487212707001282, 2.718281828459045, 7.38905609893065 } },
        { "sqrt_", new[] { 0.7071067811865476, 1.0, 1.4142135623730951 } },
    };

    [Theory]
    [MemberData(nameof(Unary))]
    public void Unary_functions_match_pytorch(string op, double[] expected)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 0.5, 1, 2 });
        Tensor y = op switch
        {
            "exp" => x.exp(), "log" => torch.log(x), "log1p" => x.log1p(), "sqrt" => torch.sqrt(x),
            "rsqrt" => x.rsqrt(), "sigmoid" => torch.sigmoid(x), "tanh" => x.tanh(), "sin" => x.sin(),
            "cos" => torch.cos(x), "square" => x.square(), "reciprocal" => x.reciprocal(), "log2" => x.log2(),
            "exp_" => x.exp_(), "sqrt_" => x.sqrt_(),
            _ => throw new ArgumentException(op),
        };
        var actual = D(y);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-14);
        if (op.EndsWith('_')) Assert.Same(x, y); // in-place forms return the tensor itself, changed
    }

    [Fact]
    public void Rounding_signs_and_powers()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.7f });
        Assert.Equal(new float[] { -2, -2, -0, 0, 2, 2, 3 }, F(x.round())); // halves to even, as torch.round
        Assert.Equal(new float[] { -3, -2, -1, 0, 1, 2, 2 }, F(x.floor()));
        Assert.Equal(new float[] { -2, -1, -0, 1, 2, 3, 3 }, F(x.ceil()));
        Assert.Equal(new float[] { -2, -1, -0, 0, 1, 2, 2 }, F(x.trunc()));
        Assert.Equal(new float[] { -1, -1, -1, 1, 1, 1, 1 }, F(x.sign()));
        Assert.Equal(new float[] { 2.5f, 1.5f, 0.5f, 0.5f, 1.5f, 2.5f, 2.7f }, F(torch.abs(x)));
        Assert.Equal(new[] { 3.14 }, D(torch.tensor(new[] { 3.14159 }).round(2)));

        var b = torch.tensor(new float[] { 1, 2, 3 });
        Assert.Equal(new float[] { 1, 4, 9 }, F(b.pow(2)));
        Assert.Equal(new float[] { 1, 1.41421354f, 1.73205078f }, F(b.pow(0.5)));
        Assert.Equal(new float[] { 1, 4, 27 }, F(b.pow(b)));
        Assert.Equal(new float[] { 2, 4, 8 }, F(torch.pow(2, b)));
        b.pow_(3);
        Assert.Equal(new float[] { 1, 8, 27 }, F(b));
        var ints = torch.arange(1, 4);
        Assert.Equal(ScalarType.Int64, ints.pow(2).dtype);
        Assert.Equal(new long[] { 1, 4, 9 }, ints.pow(2).ToArray<long>());
    }

    [Fact]
    public void Comparisons_return_bool_tensors_and_broadcast()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3 });
        var y = torch.tensor(new float[] { 3, 2, 1 });
        Assert.Equal(ScalarType.Bool, x.eq(y).dtype);
        Assert.Equal(new[] { false, true, false }, B(x.eq(y)));
        Assert.Equal(new[] { true, false, true }, B(x.ne(y)));
        Assert.Equal(new[] { true, false, false }, B(x < y));
        Assert.Equal(new[] { true, true, false }, B(x <= y));
        Assert.Equal(new[] { false, false, true }, B(x > y));
        Assert.Equal(new[] { false, true, true }, B(x >= y));
        Assert.Equal(new[] { false, true, true }, B(x > 1.5));
        Assert.Equal(new[] { true, false, false }, B(1.5 > x));
        Assert.Equal(new[] { false, true, false }, B(x.eq(2)));
        Assert.Equal(new[] { false, false, true }, B(torch.gt(x, 2)));

        // a column against a row: a 3 × 3 table
        var table = x.unsqueeze(1).lt(y);
        Assert.Equal(new long[] { 3, 3 }, table.shape);
        Assert.Equal(new[] { true, true, false, true, false, false, false, false, false }, B(table));

        Assert.True(x.equal(torch.tensor(new float[] { 1, 2, 3 })));
        Assert.False(x.equal(y));
        Assert.False(x.equal(x.unsqueeze(0))); // same values, different shape
        Assert.True(x.allclose(x + 1e-7));
        Assert.False(x.allclose(x + 1e-3));
        Assert.True(torch.allclose(x, x + 0.01, atol: 0.1));
        Assert.Equal(new[] { true, false }, B(torch.tensor(new[] { 1.0, 2.0 }).isclose(torch.tensor(new[] { 1.0, 2.1 }))));
    }

    [Fact]
    public void Logical_ops_and_special_values()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(new[] { true, true, false, false });
        var q = torch.tensor(new[] { true, false, true, false });
        Assert.Equal(new[] { true, false, false, false }, B(p.logical_and(q)));
        Assert.Equal(new[] { true, true, true, false }, B(p.logical_or(q)));
        Assert.Equal(new[] { false, true, true, false }, B(p.logical_xor(q)));
        Assert.Equal(new[] { false, false, true, true }, B(torch.logical_not(p)));

        var v = torch.tensor(new[] { 1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity });
        Assert.Equal(new[] { false, true, false, false }, B(v.isnan()));
        Assert.Equal(new[] { true, false, false, false }, B(v.isfinite()));
        Assert.Equal(new[] { false, false, true, true }, B(v.isinf()));

        var a = torch.tensor(new float[] { 1, 5, 3 });
        var c = torch.tensor(new float[] { 4, 2, 3 });
        Assert.Equal(new float[] { 4, 5, 3 }, F(a.maximum(c)));
        Assert.Equal(new float[] { 1, 2, 3 }, F(torch.minimum(a, c)));
        Assert.Equal(new float[] { 4, 5, 3 }, F(torch.max(a, c)));
    }

    [Fact]
    public void Clamp_with_scalars_and_tensors()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { -2, -0.5f, 0.5f, 2, 7 });
        Assert.Equal(new float[] { -1, -0.5f, 0.5f, 1, 1 }, F(x.clamp(-1, 1)));
        Assert.Equal(new float[] { 0, 0, 0.5f, 2, 7 }, F(x.clamp(min: 0)));
        Assert.Equal(new float[] { -2, -0.5f, 0.5f, 2, 6 }, F(x.clamp(max: 6)));
        Assert.Equal(new float[] { 0, 0, 0.5f, 2, 6 }, F(x.clip(0.0, 6.0))); // ReLU6
        Assert.Equal(new float[] { 0, 0, 0.5f, 2, 7 }, F(x.clamp_min(0)));
        Assert.Equal(new float[] { -2, -0.5f, 0.5f, 1, 1 }, F(torch.clamp(x, max: 1)));

        var low = torch.tensor(new float[] { 0, 0, 1, 1, 1 });
        var high = torch.tensor(new float[] { 1, 1, 2, 2, 2 });
        Assert.Equal(new float[] { 0, 0, 1, 2, 2 }, F(x.clamp(low, high)));
        Assert.Equal(new float[] { 0, 0, 1, 2, 7 }, F(x.clamp(low, null)));

        var ints = torch.arange(-3, 4);
        Assert.Equal(new long[] { -1, -1, -1, 0, 1, 1, 1 }, ints.clamp(-1, 1).ToArray<long>());
        Assert.Equal(ScalarType.Int64, ints.clamp(-1, 1).dtype);

        x.clamp_(-1, 1);
        Assert.Equal(new float[] { -1, -0.5f, 0.5f, 1, 1 }, F(x));
        x.clamp_(null, high * 0);
        Assert.Equal(new float[] { -1, -0.5f, 0, 0, 0 }, F(x));
        Assert.Throws<ArgumentException>(() => x.clamp());
    }

    [Fact]
    public void Where_picks_elementwise_and_broadcasts()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { -1, 2, -3, 4 });
        var y = torch.zeros(4);
        Assert.Equal(new float[] { 0, 2, 0, 4 }, F(torch.where(x > 0, x, y)));
        Assert.Equal(new float[] { 0, 2, 0, 4 }, F(torch.where(x > 0, x, 0.0)));
        Assert.Equal(new float[] { 1, -1, 1, -1 }, F(torch.where(x < 0, 1.0, -1.0)));
        Assert.Equal(new float[] { 9, 2, 9, 4 }, F(torch.where(x < 0, 9f, x)));
        Assert.Equal(new float[] { 0, 2, 0, 4 }, F(x.where(x > 0, y)));

        // a (2, 1) condition against a (4,) input gives (2, 4)
        var rows = torch.tensor(new[] { true, false }).unsqueeze(1);
        var picked = torch.where(rows, x, y);
        Assert.Equal(new long[] { 2, 4 }, picked.shape);
        Assert.Equal(new float[] { -1, 2, -3, 4, 0, 0, 0, 0 }, F(picked));
    }

    [Fact]
    public void Fused_in_place_updates_for_optimizers()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(new[] { 1.0, 2.0 });
        var t1 = torch.tensor(new[] { 3.0, 4.0 });
        var t2 = torch.tensor(new[] { 2.0, 8.0 });
        Assert.Equal(new[] { 1 + 0.5 * 3 * 2, 2 + 0.5 * 4 * 8 }, D(p.addcmul(t1, t2, 0.5)));
        Assert.Equal(new[] { 1 - 3 / 2.0, 2 - 4 / 8.0 }, D(torch.addcdiv(p, t1, t2, -1)));
        Assert.Same(p, p.addcmul_(t1, t2));
        Assert.Equal(new[] { 7.0, 34.0 }, D(p));
        p.addcdiv_(t1, t2, 2);
        Assert.Equal(new[] { 10.0, 35.0 }, D(p));

        // an exponential moving average: m ← m + 0.1 (g − m)
        var m = torch.tensor(new[] { 0.0, 10.0 });
        m.lerp_(torch.tensor(new[] { 10.0, 0.0 }), 0.1);
        Assert.Equal(new[] { 1.0, 9.0 }, D(m));
        Assert.Equal(new[] { 5.5, 4.5 }, D(m.lerp(torch.tensor(new[] { 10.0, 0.0 }), torch.tensor(new[] { 0.5, 0.5 }))));
        m.lerp_(torch.zeros_like(m), torch.tensor(new[] { 1.0, 0.0 }));
        Assert.Equal(new[] { 0.0, 9.0 }, D(m));

        // Adam-like step with in-place square roots
        var v = torch.tensor(new[] { 4.0, 9.0 });
        v.sqrt_().add_(1);
        Assert.Equal(new[] { 3.0, 4.0 }, D(v));
        Assert.Equal(new[] { 1.0, 2.0 }, D(v.sub(2).abs_()));
    }
}
