using System.Text.Json.Nodes;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// Reduces the rate by <c>factor</c> when a watched metric (validation loss, accuracy) stops
/// improving for <c>patience</c> steps (PyTorch's <c>ReduceLROnPlateau</c>). Call
/// <see cref="step(double)"/> with the metric once per epoch.
/// </summary>
public sealed class ReduceLROnPlateau : LRScheduler
{
    private double[] minLrs;

    /// <param name="mode">"min": the metric should fall (a loss); "max": it should rise (an accuracy).</param>
    /// <param name="threshold_mode">"rel": improvement relative to the best (best·(1 ∓ threshold)); "abs": best ∓ threshold.</param>
    /// <param name="min_lr">A floor for every group's rate.</param>
    /// <param name="eps">Changes smaller than eps are not applied.</param>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10,
                             double threshold = 1e-4, string threshold_mode = "rel", int cooldown = 0,
                             double min_lr = 0, double eps = 1e-8)
        : this(optimizer, Enumerable.Repeat(min_lr, (optimizer ?? throw new ArgumentNullException(nameof(optimizer))).param_groups.Count).ToArray(),
               mode, factor, patience, threshold, threshold_mode, cooldown, eps) { }

    /// <param name="min_lrs">A floor for each group's rate.</param>
    public ReduceLROnPlateau(Optimizer optimizer, IReadOnlyList<double> min_lrs, string mode = "min", double factor = 0.1,
                             int patience = 10, double threshold = 1e-4, string threshold_mode = "rel", int cooldown = 0,
                             double eps = 1e-8)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(min_lrs);
        if (!(factor < 1.0)) throw new ArgumentException("Factor should be < 1.0.", nameof(factor));
        if (min_lrs.Count != optimizer.param_groups.Count)
            throw new ArgumentException($"expected {optimizer.param_groups.Count} min_lrs, got {min_lrs.Count}", nameof(min_lrs));
        if (patience < 0) throw new ArgumentException($"patience must not be negative, got {patience}", nameof(patience));
        if (cooldown < 0) throw new ArgumentException($"cooldown must not be negative, got {cooldown}", nameof(cooldown));
        CheckModes(mode, threshold_mode);
        this.factor = factor;
        minLrs = min_lrs.ToArray();
        this.patience = patience;
        this.cooldown = cooldown;
        this.mode = mode;
        this.threshold = threshold;
        this.threshold_mode = threshold_mode;
        this.eps = eps;
        last_epoch = 0;
        best = mode_worse;
        RecordLastLr();
    }

    public string mode { get; private set; }
    public double factor { get; private set; }
    public int patience { get; private set; }
    public double threshold { get; private set; }
    public string threshold_mode { get; private set; }
    public int cooldown { get; private set; }
    public IReadOnlyList<double> min_lrs => minLrs;
    public double eps { get; private set; }

    /// <summary>The best metric seen so far (±∞ before the first step).</summary>
    public double best { get; private set; }
    public int num_bad_epochs { get; private set; }
    public int cooldown_counter { get; private set; }
    public bool in_cooldown => cooldown_counter > 0;

    private double mode_worse => mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Records this epoch's metric and reduces the rates after <c>patience</c> epochs without improvement.</summary>
    public override void step(double metrics)
    {
        double current = metrics;
        int epoch = last_epoch + 1;
        last_epoch = epoch;
        if (is_better(current, best))
        {
            best = current;
            num_bad_epochs = 0;
        }
        else num_bad_epochs++;

        if (in_cooldown)
        {
            cooldown_counter--;
            num_bad_epochs = 0; // bad epochs in cooldown do not count
        }
        if (num_bad_epochs > patience)
        {
            ReduceLr();
            cooldown_counter = cooldown;
            num_bad_epochs = 0;
        }
        RecordLastLr();
    }

    /// <summary>ReduceLROnPlateau needs the watched metric: call <see cref="step(double)"/>.</summary>
    public override void step() =>
        throw new InvalidOperationException("ReduceLROnPlateau.step needs the metric it watches: call step(metric), e.g. step(validationLoss)");

    /// <summary>Whether <paramref name="a"/> improves on <paramref name="best"/> by the threshold.</summary>
    public bool is_better(double a, double best) => (mode, threshold_mode) switch
    {
        ("min", "rel") => a < best * (1.0 - threshold),
        ("min", _) => a < best - threshold,
        ("max", "rel") => a > best * (threshold + 1.0),
        _ => a > best + threshold,
    };

    protected override double[] get_lr() => Current(optimizer);

    private void ReduceLr()
    {
        var groups = optimizer.param_groups;
        for (int i = 0; i < groups.Count; i++)
        {
            double oldLr = groups[i].lr;
            double newLr = Math.Max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) groups[i].lr = newLr;
        }
    }

    private static void CheckModes(string mode, string thresholdMode)
    {
        if (mode is not ("min" or "max")) throw new ArgumentException($"mode {mode} is unknown! (expected 'min' or 'max')", nameof(mode));
        if (thresholdMode is not ("rel" or "abs")) throw new ArgumentException($"threshold mode {thresholdMode} is unknown! (expected 'rel' or 'abs')", nameof(thresholdMode));
    }

    public override SchedulerStateDict state_dict()
    {
        var o = new JsonObject
        {
            ["factor"] = StateJson.Number(factor),
            ["min_lrs"] = StateJson.Numbers(minLrs),
            ["patience"] = patience,
            ["cooldown"] = cooldown,
            ["cooldown_counter"] = cooldown_counter,
            ["mode"] = mode,
            ["threshold"] = StateJson.Number(threshold),
            ["threshold_mode"] = threshold_mode,
            ["best"] = StateJson.Number(best),
            ["num_bad_epochs"] = num_bad_epochs,
            ["mode_worse"] = StateJson.Number(mode_worse),
            ["eps"] = StateJson.Number(eps),
            ["last_epoch"] = last_epoch,
            ["_last_lr"] = StateJson.Numbers(get_last_lr()),
        };
        return new SchedulerStateDict(o);
    }

    public override void load_state_dict(SchedulerStateDict state_dict)
    {
        ArgumentNullException.ThrowIfNull(state_dict);
        var o = state_dict.values;
        string m = StateJson.String(o, "mode"), tm = StateJson.String(o, "threshold_mode");
        CheckModes(m, tm);
        var mins = StateJson.Doubles(o, "min_lrs");
        if (mins.Length != optimizer.param_groups.Count)
            throw new ArgumentException($"scheduler state has min_lrs for {mins.Length} parameter groups, the optimizer has {optimizer.param_groups.Count}", nameof(state_dict));
        double f = StateJson.Double(o, "factor"), th = StateJson.Double(o, "threshold"), b = StateJson.Double(o, "best"), e = StateJson.Double(o, "eps");
        int p = StateJson.Int(o, "patience"), c = StateJson.Int(o, "cooldown"), cc = StateJson.Int(o, "cooldown_counter");
        int bad = StateJson.Int(o, "num_bad_epochs"), epoch = StateJson.Int(o, "last_epoch");
        mode = m;
        threshold_mode = tm;
        factor = f;
        minLrs = mins;
        threshold = th;
        best = b;
        eps = e;
        patience = p;
        cooldown = c;
        cooldown_counter = cc;
        num_bad_epochs = bad;
        last_epoch = epoch;
        RecordLastLr();
    }
}
