using CnnCourse.Torch;
using CnnCourse.Torch.Optim;

namespace CnnCourse.Torch.Tests;

[Collection(OptimCollection.Name)]
public class LRSchedulerTests : IDisposable
{
    private readonly Tensor w = torch.zeros(new long[] { 1 }, requires_grad: true);

    public void Dispose() => w.Dispose();

    private Optim.SGD Sgd(double lr = 0.1, double momentum = 0.9) => torch.optim.SGD(new[] { w }, lr: lr, momentum: momentum);

    /// <summary>The rate after construction (step 0) and after each of the following steps.</summary>
    private static double[] Rates(Optimizer opt, LRScheduler scheduler, int count)
    {
        var result = new double[count];
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                opt.step();
                scheduler.step();
            }
            result[i] = opt.param_groups[0].lr;
            Assert.Equal(result[i], scheduler.get_last_lr()[0]);
        }
        return result;
    }

    private static void Close(double[] expected, double[] actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1e-3, Math.Abs(expected[i])),
                $"step {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void StepLR_follows_its_closed_form()
    {
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.StepLR(opt, step_size: 3, gamma: 0.1);
        var closed = Enumerable.Range(0, 11).Select(e => 0.1 * Math.Pow(0.1, e / 3)).ToArray();
        Close(closed, Rates(opt, s, 11));
        Assert.Equal(0.1, opt.param_groups[0].initial_lr);
    }

    [Fact]
    public void MultiStepLR_follows_its_closed_form_counting_repeated_milestones()
    {
        using var opt = Sgd();
        var milestones = new[] { 2, 5, 5, 8 };
        var s = torch.optim.lr_scheduler.MultiStepLR(opt, milestones, gamma: 0.5);
        var closed = Enumerable.Range(0, 12).Select(e => 0.1 * Math.Pow(0.5, milestones.Count(m => m <= e))).ToArray();
        Close(closed, Rates(opt, s, 12));
    }

    [Fact]
    public void CosineAnnealingLR_follows_its_closed_form_and_pytorchs_sequence()
    {
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max: 10, eta_min: 0.001);
        var rates = Rates(opt, s, 25);
        var closed = Enumerable.Range(0, 25).Select(e => 0.001 + (0.1 - 0.001) * (1 + Math.Cos(Math.PI * e / 10)) / 2).ToArray();
        Close(closed, rates, 1e-12);
        // PyTorch 1.13's chainable sequence for the same settings (torch.optim.lr_scheduler.
        // CosineAnnealingLR(SGD(lr=0.1), T_max=10, eta_min=0.001), stepped 24 times), including
        // its rounding past T_max, where the cosine rises again.
        var pytorch = new[]
        {
            0.1, 0.09757729755661011, 0.0905463412215599, 0.07959536998847742, 0.0657963412215599, 0.0505,
            0.03520365877844011, 0.02140463001152259, 0.010453658778440109, 0.0034227024433899004, 0.001,
            0.0034227024433899004, 0.01045365877844014, 0.02140463001152267, 0.035203658778440255,
            0.05050000000000022, 0.06579634122156018, 0.07959536998847777, 0.09054634122156031,
            0.09757729755661054, 0.10000000000000045, 0.09757729755661054, 0.09054634122156033,
            0.07959536998847778, 0.0657963412215602,
        };
        Close(pytorch, rates, 1e-15);
    }

    [Fact]
    public void LinearLR_warms_up_along_its_closed_form()
    {
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.LinearLR(opt, start_factor: 0.25, end_factor: 1.0, total_iters: 4);
        var closed = Enumerable.Range(0, 9).Select(e => 0.1 * (0.25 + 0.75 * Math.Min(4, e) / 4)).ToArray();
        Close(closed, Rates(opt, s, 9));
    }

    [Fact]
    public void OneCycleLR_matches_pytorch_for_sgd_momentum_with_cosine_annealing()
    {
        // PyTorch 1.13: OneCycleLR(SGD(lr=0.1, momentum=0.9), max_lr=1.0, total_steps=10); the
        // group's lr and momentum after construction and after each of 9 steps.
        var lrs = new[] { 0.040000000000000036, 0.52, 1.0, 0.9504846320134737, 0.8117456539497631, 0.6112620219362893, 0.38874197806371075, 0.18825834605023697, 0.049519367986526286, 4e-06 };
        var momenta = new[] { 0.95, 0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842, 0.9111260466978157, 0.9311744900929366, 0.945048443395121, 0.95 };
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr: 1.0, total_steps: 10);
        var seenMomenta = new double[10];
        for (int i = 0; i < 10; i++)
        {
            if (i > 0) { opt.step(); s.step(); }
            seenMomenta[i] = opt.param_groups[0].momentum;
            Assert.Equal(lrs[i], opt.param_groups[0].lr, 15);
        }
        Close(momenta, seenMomenta, 1e-15);
        Assert.Equal(0.04, opt.param_groups[0].initial_lr, 15);
        Assert.Equal(4e-6, opt.param_groups[0].min_lr, 15);

        s.step(); // step 10 is still allowed (as in PyTorch); step 11 is past total_steps
        var e = Assert.Throws<InvalidOperationException>(() => s.step());
        Assert.Contains("Tried to step 12 times. The specified number of total steps is 10", e.Message);
    }

    [Fact]
    public void OneCycleLR_matches_pytorch_for_adam_beta1_three_phase_linear()
    {
        // PyTorch 1.13: OneCycleLR(Adam(lr=0.1), max_lr=0.5, epochs=2, steps_per_epoch=5,
        // anneal_strategy='linear', three_phase=True, pct_start=0.25, div_factor=10,
        // final_div_factor=100, base_momentum=0.8, max_momentum=0.9).
        var lrs = new[] { 0.05, 0.35, 0.35, 0.04999999999999999, 0.04175, 0.0335, 0.02525, 0.017, 0.00875, 0.0005000000000000004 };
        var beta1 = new[] { 0.9, 0.8333333333333334, 0.8333333333333334, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9 };
        using var opt = torch.optim.Adam(new[] { w }, lr: 0.1);
        var s = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr: 0.5, epochs: 2, steps_per_epoch: 5, anneal_strategy: "linear",
            three_phase: true, pct_start: 0.25, div_factor: 10, final_div_factor: 100, base_momentum: 0.8, max_momentum: 0.9);
        for (int i = 0; i < 10; i++)
        {
            if (i > 0) { opt.step(); s.step(); }
            Assert.Equal(lrs[i], opt.param_groups[0].lr, 15);
            Assert.Equal(beta1[i], opt.param_groups[0].betas.beta1, 15);
            Assert.Equal(0.999, opt.param_groups[0].betas.beta2);
        }
    }

    [Fact]
    public void ReduceLROnPlateau_matches_pytorch_in_min_rel_mode_with_cooldown_and_floor()
    {
        // PyTorch 1.13: ReduceLROnPlateau(SGD(lr=0.1), patience=2, factor=0.5, cooldown=1,
        // min_lr=0.02), stepped with these metrics; the lr after each step.
        var metrics = new[] { 1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.89, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9 };
        var expected = new[] { 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02 };
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience: 2, factor: 0.5, cooldown: 1, min_lr: 0.02);
        var seen = metrics.Select(m => { s.step(m); return opt.param_groups[0].lr; }).ToArray();
        Close(expected, seen, 1e-15);
        Assert.Throws<InvalidOperationException>(() => s.step());
    }

    [Fact]
    public void ReduceLROnPlateau_matches_pytorch_in_max_abs_mode_and_round_trips_its_state()
    {
        // PyTorch 1.13: ReduceLROnPlateau(SGD(lr=0.1), mode='max', threshold=0.02,
        // threshold_mode='abs', patience=1, factor=0.1) over these accuracies.
        var acc = new[] { 0.5, 0.6, 0.605, 0.61, 0.7, 0.7, 0.7, 0.705, 0.71, 0.72 };
        var expected = new[] { 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002, 0.00010000000000000003, 0.00010000000000000003 };
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode: "max", threshold: 0.02, threshold_mode: "abs", patience: 1, factor: 0.1);
        var seen = new List<double>();
        for (int i = 0; i < 5; i++) { s.step(acc[i]); seen.Add(opt.param_groups[0].lr); }

        // Resume half-way from JSON, as a checkpoint would.
        var json = s.state_dict().ToJson();
        using var opt2 = Sgd();
        opt2.param_groups[0].lr = opt.param_groups[0].lr;
        var s2 = torch.optim.lr_scheduler.ReduceLROnPlateau(opt2);
        s2.load_state_dict(SchedulerStateDict.FromJson(json));
        Assert.Equal(s.best, s2.best);
        for (int i = 5; i < acc.Length; i++) { s2.step(acc[i]); seen.Add(opt2.param_groups[0].lr); }
        Close(expected, seen.ToArray(), 1e-15);
        // PyTorch's state after the run: best 0.7, one bad epoch, last_epoch 10.
        Assert.Equal(0.7, s2.best);
        Assert.Equal(1, s2.num_bad_epochs);
        Assert.Equal(10, s2.last_epoch);
    }

    [Fact]
    public void ReduceLROnPlateau_state_with_infinite_best_survives_json()
    {
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt);
        var json = s.state_dict().ToJson();
        Assert.Contains("\"Infinity\"", json);
        var s2 = torch.optim.lr_scheduler.ReduceLROnPlateau(opt);
        s2.load_state_dict(SchedulerStateDict.FromJson(json));
        Assert.Equal(double.PositiveInfinity, s2.best);
    }

    [Fact]
    public void Scheduler_and_optimizer_state_resume_the_same_schedule()
    {
        using var opt = Sgd();
        var s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max: 8, eta_min: 0.01);
        var full = Rates(opt, s, 12);

        using var opt1 = Sgd();
        var s1 = torch.optim.lr_scheduler.CosineAnnealingLR(opt1, T_max: 8, eta_min: 0.01);
        Rates(opt1, s1, 5);
        string optJson, schedJson;
        using (var sd = opt1.state_dict()) optJson = sd.ToJson();
        schedJson = s1.state_dict().ToJson();

        using var opt2 = Sgd();
        var s2 = torch.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max: 8, eta_min: 0.01);
        using (var sd = OptimizerStateDict.FromParts(optJson, new Dictionary<string, Tensor>())) opt2.load_state_dict(sd);
        s2.load_state_dict(SchedulerStateDict.FromJson(schedJson));
        Assert.Equal(4, s2.last_epoch);
        var resumed = new List<double> { opt2.param_groups[0].lr };
        for (int i = 0; i < 7; i++) { opt2.step(); s2.step(); resumed.Add(opt2.param_groups[0].lr); }
        Assert.Equal(full.Skip(4), resumed);
    }

    [Fact]
    public void Resuming_with_last_epoch_needs_initial_lr_and_bad_settings_are_rejected()
    {
        using var opt = Sgd();
        Assert.Throws<KeyNotFoundException>(() => torch.optim.lr_scheduler.StepLR(opt, step_size: 2, last_epoch: 3));
        Assert.Throws<ArgumentException>(() => torch.optim.lr_scheduler.StepLR(opt, step_size: 0));
        Assert.Throws<ArgumentException>(() => torch.optim.lr_scheduler.OneCycleLR(opt, max_lr: 1.0));
        Assert.Throws<ArgumentException>(() => torch.optim.lr_scheduler.OneCycleLR(opt, max_lr: 1.0, total_steps: 10, anneal_strategy: "exp"));
        Assert.Throws<ArgumentException>(() => torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor: 1.0));
        Assert.Throws<ArgumentException>(() => torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode: "lowest"));
        using var late = torch.zeros(new long[] { 1 }, requires_grad: true);
        using var grown = Sgd();
        var stepLr = torch.optim.lr_scheduler.StepLR(grown, step_size: 2);
        grown.add_param_group(new ParamGroup(new[] { late }));
        Assert.Contains("create the scheduler after adding every group", Assert.Throws<InvalidOperationException>(() => stepLr.step()).Message);

        // RMSprop has a momentum, so OneCycleLR cycles it (as PyTorch does).
        using var rms = torch.optim.RMSprop(new[] { w });
        var cycled = torch.optim.lr_scheduler.OneCycleLR(rms, max_lr: 1.0, total_steps: 10);
        Assert.Equal(0.04, cycled.get_last_lr()[0], 15);
        Assert.Equal(0.95, rms.param_groups[0].momentum);
    }
}
