using CnnCourse.Torch;
using CnnCourse.Torch.Optim;

namespace CnnCourse.Torch.Tests;

/// <summary>
/// Optimizer and scheduler tests run alone, never beside other test classes: tests elsewhere count
/// the process-wide Tensor.LiveCount, which tensors created here concurrently would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OptimCollection
{
    public const string Name = "optim (not in parallel)";
}

[Collection(OptimCollection.Name)]
public class OptimizerTests
{
    // The quadratic loss Σ a·p² + b·p (gradient 2a·p + b) over p0 = [1, -2, 3], in float64. A second
    // parameter q takes no part in the loss, so it never has a gradient and must be skipped.
    private static readonly double[] A = { 0.5, 1.0, 2.0 };
    private static readonly double[] B = { 0.1, -0.3, 0.2 };

    private static (double[][] trajectory, Tensor p, Tensor q, Optimizer opt) Run(Func<Tensor[], Optimizer> make, int steps = 3)
    {
        var p = torch.tensor(new[] { 1.0, -2.0, 3.0 }, requires_grad: true);
        var q = torch.tensor(new[] { 5.0, 6.0 }, requires_grad: true);
        using var a = torch.tensor(A);
        using var b = torch.tensor(B);
        var opt = make(new[] { p, q });
        var result = new double[steps][];
        for (int i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            opt.zero_grad();
            var loss = (p * p * a).sum() + (p * b).sum();
            loss.backward();
            opt.step();
            result[i] = p.ToArray<double>();
        }
        return (result, p, q, opt);
    }

    // Computed with PyTorch 1.13 (Debian python3-torch, the same libtorch) by /usr/bin/python3:
    //   a = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64); b = torch.tensor([0.1, -0.3, 0.2], dtype=torch.float64)
    //   p = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True); q = torch.tensor([5.0, 6.0], ...)
    //   opt = torch.optim.<Optimizer>([p, q], <settings as in Makers>)
    //   for _ in range(3): opt.zero_grad(); ((p * p * a).sum() + (p * b).sum()).backward(); opt.step(); print(p.tolist())
    // Our steps reproduce these bit for bit on that libtorch; the test allows 1e-12 relative.
    public static readonly Dictionary<string, double[][]> PyTorchTrajectories = new()
    {
        ["SGD"] = new double[][] {
            new[] { 0.89, -1.57, 1.78 },
            new[] { 0.791, -1.226, 1.048 },
            new[] { 0.7019000000000001, -0.9508, 0.6088 },
        },
        ["SGD momentum"] = new double[][] {
            new[] { 0.89, -1.57, 1.78 },
            new[] { 0.6920000000000001, -0.839, -0.05000000000000015 },
            new[] { 0.43460000000000004, 0.016700000000000118, -1.6970000000000005 },
        },
        ["SGD momentum dampening weight_decay"] = new double[][] {
            new[] { 0.88, -1.55, 1.75 },
            new[] { 0.7186, -0.96725, 0.2562499999999999 },
            new[] { 0.528817, -0.32621375, -1.1506562500000002 },
        },
        ["SGD nesterov weight_decay"] = new double[][] {
            new[] { 0.7890999999999999, -1.1792, 0.6763 },
            new[] { 0.5287617099999999, -0.3219435199999999, -0.86760297 },
            new[] { 0.25471706685099993, 0.38922026228800016, -1.372012270157 },
        },
        ["SGD maximize momentum"] = new double[][] {
            new[] { 1.11, -2.43, 4.22 },
            new[] { 1.286, -3.161, 6.538 },
            new[] { 1.5126, -4.1887, 10.3322 },
        },
        ["Adam"] = new double[][] {
            new[] { 0.9000000009090909, -1.900000000232558, 2.9000000000819672 },
            new[] { 0.8003611627734645, -1.8001524222844993, 2.8001007605964094 },
            new[] { 0.70138244621909, -1.700569748619489, 2.7003741984823275 },
        },
        ["Adam amsgrad weight_decay betas"] = new double[][] {
            new[] { 0.9000000008333333, -1.9000000002222222, 2.90000000008 },
            new[] { 0.8003967265713181, -1.8001683675714388, 2.800111460928813 },
            new[] { 0.7015184655384336, -1.7006277905002378, 2.7004126496104304 },
        },
        ["Adam maximize"] = new double[][] {
            new[] { 1.099999999090909, -2.0999999997674417, 3.0999999999180328 },
            new[] { 1.2001320572860499, -2.200092632047016, 3.2000710664790915 },
            new[] { 1.300478810133963, -2.300335365472202, 3.300257923206444 },
        },
        ["AdamW"] = new double[][] {
            new[] { 0.8990000009090909, -1.898000000232558, 2.897000000081967 },
            new[] { 0.7984671369959828, -1.7962581351558768, 2.7942072710689136 },
            new[] { 0.698704042386194, -1.6948893775133036, 2.6916960400242114 },
        },
        ["AdamW amsgrad weight_decay"] = new double[][] {
            new[] { 0.8900000009090909, -1.880000000232558, 2.870000000081967 },
            new[] { 0.7815122295181711, -1.7613907838648861, 2.7414371941012785 },
            new[] { 0.6748629718781681, -1.6442993062622295, 2.6143952680018128 },
        },
        ["RMSprop"] = new double[][] {
            new[] { 0.9000000090909083, -1.9000000023255814, 2.9000000008196722 },
            new[] { 0.8325478262848031, -1.8308110276302547, 2.8302971924791684 },
            new[] { 0.7791114439875177, -1.7750403008312117, 2.773841358000787 },
        },
        ["RMSprop centered momentum weight_decay"] = new double[][] {
            new[] { 0.8994962268915866, -1.8994962207187478, 2.8994962192821596 },
            new[] { 0.7409607755628557, -1.7391702860894243, 2.738642816403847 },
            new[] { 0.5480829738723356, -1.5401156426642943, 2.537822013193163 },
        },
        ["RMSprop momentum"] = new double[][] {
            new[] { 0.9000000090909083, -1.9000000023255814, 2.9000000008196722 },
            new[] { 0.7825478308302573, -1.7808110287930454, 2.7802971928890043 },
            new[] { 0.6724796778823414, -1.666427194586553, 2.6646631866755053 },
        },
        ["RMSprop centered alpha"] = new double[][] {
            new[] { 0.9666666676767677, -1.9666666669250645, 2.9666666667577415 },
            new[] { 0.9415515205801708, -1.941365723203275, 2.941309226553614 },
            new[] { 0.919604629152192, -1.9191447665886958, 2.919005383043906 },
        },
        ["RMSprop maximize"] = new double[][] {
            new[] { 1.0999999909090916, -2.0999999976744186, 3.0999999991803278 },
            new[] { 1.1738842723351899, -2.1724722217808203, 3.1720162733372104 },
            new[] { 1.2357911689998982, -2.2325660021429896, 3.231518142161826 },
        },
    };

    private static readonly Dictionary<string, Func<Tensor[], Optimizer>> Makers = new()
    {
        ["SGD"] = ps => torch.optim.SGD(ps, lr: 0.1),
        ["SGD momentum"] = ps => torch.optim.SGD(ps, lr: 0.1, momentum: 0.9),
        ["SGD momentum dampening weight_decay"] = ps => torch.optim.SGD(ps, lr: 0.1, momentum: 0.9, dampening: 0.5, weight_decay: 0.1),
        ["SGD nesterov weight_decay"] = ps => torch.optim.SGD(ps, lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01),
        ["SGD maximize momentum"] = ps => torch.optim.SGD(ps, lr: 0.1, momentum: 0.5, maximize: true),
        ["Adam"] = ps => torch.optim.Adam(ps, lr: 0.1),
        ["Adam amsgrad weight_decay betas"] = ps => torch.optim.Adam(ps, lr: 0.1, beta1: 0.8, beta2: 0.9, weight_decay: 0.1, amsgrad: true),
        ["Adam maximize"] = ps => torch.optim.Adam(ps, lr: 0.1, maximize: true),
        ["AdamW"] = ps => torch.optim.AdamW(ps, lr: 0.1),
        ["AdamW amsgrad weight_decay"] = ps => torch.optim.AdamW(ps, lr: 0.1, weight_decay: 0.1, amsgrad: true),
        ["RMSprop"] = ps => torch.optim.RMSprop(ps, lr: 0.01),
        ["RMSprop centered momentum weight_decay"] = ps => torch.optim.RMSprop(ps, lr: 0.01, centered: true, momentum: 0.9, weight_decay: 0.1),
        ["RMSprop momentum"] = ps => torch.optim.RMSprop(ps, lr: 0.01, momentum: 0.5),
        ["RMSprop centered alpha"] = ps => torch.optim.RMSprop(ps, lr: 0.01, alpha: 0.9, centered: true),
        ["RMSprop maximize"] = ps => torch.optim.RMSprop(ps, lr: 0.01, maximize: true),
    };

    public static TheoryData<string> Cases() => new(PyTorchTrajectories.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Steps_match_pytorch_and_skip_parameters_without_grad(string name)
    {
        var (trajectory, p, q, opt) = Run(Makers[name]);
        using var _ = opt;
        using var __ = p;
        using var ___ = q;
        var expected = PyTorchTrajectories[name];
        for (int s = 0; s < expected.Length; s++)
            for (int i = 0; i < 3; i++)
                Assert.True(Math.Abs(expected[s][i] - trajectory[s][i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[s][i])),
                    $"{name}, step {s + 1}, element {i}: expected {expected[s][i]:R}, got {trajectory[s][i]:R}");
        // q had no gradient: untouched and without state, as in PyTorch.
        Assert.Null(q.grad);
        Assert.Equal(new[] { 5.0, 6.0 }, q.ToArray<double>());
        Assert.False(opt.state.ContainsKey(q));
        Assert.Equal(name != "SGD", opt.state.ContainsKey(p)); // plain SGD keeps no buffer
    }

    [Fact]
    public void SGD_plain_step_is_p_minus_lr_times_grad_by_hand()
    {
        // grad = 2a·p + b = [1.1, -4.3, 12.2] at p0; p1 = p0 - 0.1·grad.
        var (trajectory, p, q, opt) = Run(ps => torch.optim.SGD(ps, lr: 0.1), steps: 1);
        using var _ = opt;
        p.Dispose();
        q.Dispose();
        Assert.Equal(0.89, trajectory[0][0], 12);
        Assert.Equal(-1.57, trajectory[0][1], 12);
        Assert.Equal(1.78, trajectory[0][2], 12);
    }

    [Fact]
    public void Momentum_buffer_starts_as_the_first_gradient_and_accumulates()
    {
        // Constant gradient g = 1 with lr 1, momentum 0.5, dampening 0: buffers 1, 1.5, 1.75, so
        // p = 0 - 1 - 1.5 - 1.75 = -4.25 (by hand).
        using var p = torch.zeros(new long[] { 1 }, torch.float64, requires_grad: true);
        using var opt = torch.optim.SGD(new[] { p }, lr: 1.0, momentum: 0.5);
        var expected = new[] { -1.0, -2.5, -4.25 };
        var buffers = new[] { 1.0, 1.5, 1.75 };
        for (int i = 0; i < 3; i++)
        {
            using var g = torch.ones(new long[] { 1 }, torch.float64);
            p.grad = g;
            opt.step();
            Assert.Equal(expected[i], p.ToArray<double>()[0], 15);
            Assert.Equal(buffers[i], opt.state[p]["momentum_buffer"].ToArray<double>()[0], 15);
        }
    }

    [Fact]
    public void Adam_first_step_moves_each_element_by_lr()
    {
        // At step 1, m̂ = g and v̂ = g², so the update is lr·g/(|g| + ε) ≈ lr·sign(g) (by hand).
        using var p = torch.tensor(new[] { 1.0, 1.0 }, requires_grad: true);
        using var opt = torch.optim.Adam(new[] { p }, lr: 0.01);
        using var g = torch.tensor(new[] { 3.0, -0.5 });
        p.grad = g;
        opt.step();
        var v = p.ToArray<double>();
        Assert.Equal(1 - 0.01 * 3 / (3 + 1e-8), v[0], 14);
        Assert.Equal(1 + 0.01 * 0.5 / (0.5 + 1e-8), v[1], 14);
        Assert.Equal(1f, opt.state[p]["step"].item<float>());
        Assert.Equal(new[] { "step", "exp_avg", "exp_avg_sq" }, opt.state[p].Keys);
    }

    [Fact]
    public void Param_groups_have_their_own_learning_rates_settable_while_training()
    {
        using var p1 = torch.tensor(new[] { 1.0 }, requires_grad: true);
        using var p2 = torch.tensor(new[] { 1.0 }, requires_grad: true);
        using var opt = torch.optim.SGD(new[]
        {
            new ParamGroup(new[] { p1 }),              // takes the default lr 0.1
            new ParamGroup(new[] { p2 }, lr: 0.01),
        }, lr: 0.1, momentum: 0.0);
        Assert.Equal(0.1, opt.param_groups[0].lr);
        Assert.Equal(0.01, opt.param_groups[1].lr);
        Assert.Equal(0.0, opt.param_groups[1].momentum);
        Assert.Throws<KeyNotFoundException>(() => opt.param_groups[0].betas);

        void StepWithUnitGrad()
        {
            using var g1 = torch.ones(new long[] { 1 }, torch.float64);
            using var g2 = torch.ones(new long[] { 1 }, torch.float64);
            p1.grad = g1;
            p2.grad = g2;
            opt.step();
        }
        StepWithUnitGrad();
        Assert.Equal(0.9, p1.ToArray<double>()[0], 15);
        Assert.Equal(0.99, p2.ToArray<double>()[0], 15);

        opt.param_groups[1].lr = 0.5; // as param_groups[1]["lr"] = 0.5
        opt.param_groups[0]["lr"] = 0.2;
        StepWithUnitGrad();
        Assert.Equal(0.7, p1.ToArray<double>()[0], 15);
        Assert.Equal(0.49, p2.ToArray<double>()[0], 15);
    }

    [Fact]
    public void Zero_grad_drops_or_zeroes_gradients()
    {
        using var p = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        using var opt = torch.optim.SGD(new[] { p }, lr: 0.1);
        using (var loss = (p * p).sum()) loss.backward();
        opt.zero_grad(set_to_none: false);
        using (var g = p.grad!) Assert.Equal(new[] { 0.0, 0.0 }, g.ToArray<double>());
        opt.zero_grad();
        Assert.Null(p.grad);
        opt.step(); // nothing has a gradient: nothing moves, no state
        Assert.Equal(new[] { 1.0, 2.0 }, p.ToArray<double>());
        Assert.Empty(opt.state);
    }

    [Fact]
    public void Step_with_closure_returns_the_loss()
    {
        using var p = torch.tensor(new[] { 2.0 }, requires_grad: true);
        using var opt = torch.optim.SGD(new[] { p }, lr: 0.25);
        using var loss = opt.step(() =>
        {
            opt.zero_grad();
            var l = (p * p).sum();
            l.backward();
            return l;
        });
        Assert.Equal(4.0, loss.item<double>());
        Assert.Equal(1.0, p.ToArray<double>()[0], 15); // 2 - 0.25·4
    }

    public static TheoryData<string> RoundTripCases() => new() { "SGD nesterov weight_decay", "Adam amsgrad weight_decay betas", "AdamW", "RMSprop centered momentum weight_decay" };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void State_dict_round_trip_through_tensors_and_json_continues_identically(string name)
    {
        var make = Makers[name];
        using var a = torch.tensor(A);
        using var b = torch.tensor(B);
        void Train(Optimizer opt, Tensor p, int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                using var scope = torch.NewDisposeScope();
                opt.zero_grad();
                ((p * p * a).sum() + (p * b).sum()).backward();
                opt.step();
            }
        }

        using var p = torch.tensor(new[] { 1.0, -2.0, 3.0 }, requires_grad: true);
        using var q = torch.tensor(new[] { 5.0, 6.0 }, requires_grad: true);
        using var original = make(new[] { p, q });
        Train(original, p, 2);
        original.param_groups[0].lr = 0.05; // a scheduler's change is part of the state

        // Save as a checkpoint would: flat tensors + JSON; then restore into a fresh optimizer.
        string json;
        Dictionary<string, Tensor> saved;
        using (var sd = original.state_dict())
        {
            Assert.Equal(new[] { 0 }, sd.state.Keys);                 // q never had state
            Assert.Equal(new[] { 0, 1 }, sd.param_groups[0].@params);
            Assert.Equal(0.05, (double)sd.param_groups[0]["lr"]);
            json = sd.ToJson();
            saved = sd.ToTensors().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        }
        using var p2 = torch.tensor(p.ToArray<double>(), requires_grad: true);
        using var q2 = torch.tensor(new[] { 5.0, 6.0 }, requires_grad: true);
        using var restored = make(new[] { p2, q2 });
        using (var loaded = OptimizerStateDict.FromParts(json, saved)) restored.load_state_dict(loaded);
        Assert.Equal(0.05, restored.param_groups[0].lr);

        Train(original, p, 3);
        Train(restored, p2, 3);
        Assert.Equal(p.ToArray<double>(), p2.ToArray<double>()); // bit for bit
        foreach (var key in original.state[p].Keys)
            Assert.Equal(original.state[p][key].ToDoubleArray(), restored.state[p2][key].ToDoubleArray());
    }

    [Fact]
    public void Load_state_dict_rejects_mismatched_groups_and_shapes()
    {
        using var p = torch.zeros(new long[] { 3 }, requires_grad: true);
        using var other = torch.zeros(new long[] { 2 }, requires_grad: true);
        using var opt = torch.optim.Adam(new[] { p });
        using (var g = torch.ones(3)) p.grad = g;
        opt.step();
        using var sd = opt.state_dict();

        using var wrongShape = torch.optim.Adam(new[] { other });
        var e = Assert.Throws<ArgumentException>(() => wrongShape.load_state_dict(sd));
        Assert.Contains("shape [3]", e.Message);

        using var third = torch.zeros(new long[] { 1 }, requires_grad: true);
        using var twoParams = torch.optim.Adam(new[] { other, third });
        Assert.Throws<ArgumentException>(() => twoParams.load_state_dict(sd));

        using var sgd = torch.optim.SGD(new[] { p }, lr: 0.1);
        Assert.Contains("different kind of optimizer", Assert.Throws<ArgumentException>(() => sgd.load_state_dict(sd)).Message);

        Assert.Throws<ArgumentException>(() => OptimizerStateDict.FromParts(sd.ToJson(), new Dictionary<string, Tensor>()));
        Assert.Throws<ArgumentException>(() => OptimizerStateDict.FromParts("{not json", sd.ToTensors()));
    }

    [Fact]
    public void Bad_arguments_raise_clear_exceptions()
    {
        using var p = torch.zeros(new long[] { 2 }, requires_grad: true);
        Assert.Contains("learning rate", Assert.Throws<ArgumentException>(() => torch.optim.SGD(new[] { p }, lr: -1)).Message);
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => torch.optim.SGD(new[] { p }, lr: 0.1, nesterov: true)).Message);
        Assert.Throws<ArgumentException>(() => torch.optim.Adam(new[] { p }, beta1: 1.0));
        Assert.Throws<ArgumentException>(() => torch.optim.RMSprop(new[] { p }, alpha: -0.1));
        Assert.Contains("empty parameter list", Assert.Throws<ArgumentException>(() => torch.optim.Adam(Array.Empty<Tensor>())).Message);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => torch.optim.SGD(new[] { p, p }, lr: 0.1)).Message);
        using var nonLeaf = p * 2;
        Assert.Contains("non-leaf", Assert.Throws<ArgumentException>(() => torch.optim.SGD(new[] { nonLeaf }, lr: 0.1)).Message);

        var opt = torch.optim.SGD(new[] { p }, lr: 0.1);
        opt.Dispose();
        Assert.Throws<ObjectDisposedException>(() => opt.step());

        // A gradient of the wrong shape is libtorch's error, named after the optimizer's step.
        using var q = torch.zeros(new long[] { 2 }, requires_grad: true);
        using var adam = torch.optim.Adam(new[] { q });
        using (var wrong = torch.ones(new long[] { 3 })) q.grad = wrong;
        var e = Assert.Throws<TorchException>(() => adam.step());
        Assert.StartsWith("Adam.step:", e.Message);
    }

    [Fact]
    public void State_outlives_dispose_scopes_and_steps_do_not_leak()
    {
        using var p = torch.randn(new long[] { 4, 3 }, requires_grad: true);
        using var opt = torch.optim.Adam(new[] { p }, lr: 0.01);
        void Step()
        {
            using var scope = torch.NewDisposeScope();
            opt.zero_grad();
            (p * p).sum().backward();
            opt.step();
        }
        // Tensors alive that this thread created (the counters are thread-local, unlike LiveCount).
        long Alive() => DisposeScope.Counters.Created - DisposeScope.Counters.Disposed;
        Step(); // state created inside a scope must survive it
        Step();
        long alive = Alive();
        for (int i = 0; i < 50; i++) Step();
        Assert.Equal(alive, Alive());
        Assert.Equal(52f, opt.state[p]["step"].item<float>());
        opt.Dispose();
        Assert.Equal(alive - 3, Alive()); // step, exp_avg, exp_avg_sq freed
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("Adam")]
    public void Solves_a_small_least_squares_problem(string which)
    {
        // y = X·w* with w* = [1.5, -2, 0.5]; PyTorch reaches loss 6e-13 (SGD, 100 steps) and
        // 4e-9 (Adam, 200 steps) from the same start.
        torch.manual_seed(0);
        using var X = torch.randn(64, 3);
        using var wTrue = torch.tensor(new float[] { 1.5f, -2f, 0.5f }, new long[] { 3, 1 });
        using var y = X.matmul(wTrue);
        using var w = torch.zeros(new long[] { 3, 1 }, requires_grad: true);
        using Optimizer opt = which == "SGD" ? torch.optim.SGD(new[] { w }, lr: 0.1) : torch.optim.Adam(new[] { w }, lr: 0.1);
        int steps = which == "SGD" ? 100 : 200;
        double loss = double.NaN;
        for (int i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            opt.zero_grad();
            var d = X.matmul(w) - y;
            var l = (d * d).mean();
            l.backward();
            opt.step();
            loss = l.item<double>();
        }
        Assert.True(loss < 1e-6, $"{which}: loss {loss} after {steps} steps");
        var found = w.ToArray<float>();
        Assert.Equal(1.5, found[0], 2);
        Assert.Equal(-2.0, found[1], 2);
        Assert.Equal(0.5, found[2], 2);
    }
}
