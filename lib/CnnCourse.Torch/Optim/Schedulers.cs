using System.Text.Json.Nodes;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// Multiplies the rate by <c>gamma</c> every <c>step_size</c> steps:
/// lr = initial_lr · γ^⌊epoch / step_size⌋ (PyTorch's <c>StepLR</c>).
/// </summary>
public sealed class StepLR : LRScheduler
{
    public StepLR(Optimizer optimizer, int step_size, double gamma = 0.1, int last_epoch = -1) : base(optimizer)
    {
        if (step_size <= 0) throw new ArgumentException($"step_size must be positive, got {step_size}", nameof(step_size));
        this.step_size = step_size;
        this.gamma = gamma;
        Start(last_epoch);
    }

    public int step_size { get; private set; }
    public double gamma { get; private set; }

    protected override double[] get_lr()
    {
        var lrs = Current(optimizer);
        if (last_epoch == 0 || last_epoch % step_size != 0) return lrs;
        return lrs.Select(lr => lr * gamma).ToArray();
    }

    protected override void SaveState(JsonObject state)
    {
        state["step_size"] = step_size;
        state["gamma"] = StateJson.Number(gamma);
    }

    protected override void LoadState(JsonObject state)
    {
        int size = StateJson.Int(state, "step_size");
        if (size <= 0) throw new ArgumentException($"step_size must be positive, got {size}");
        step_size = size;
        gamma = StateJson.Double(state, "gamma");
    }
}

/// <summary>
/// Multiplies the rate by <c>gamma</c> at each milestone:
/// lr = initial_lr · γ^(number of milestones ≤ epoch) (PyTorch's <c>MultiStepLR</c>; a milestone
/// listed twice counts twice).
/// </summary>
public sealed class MultiStepLR : LRScheduler
{
    private Dictionary<int, int> counts = new();

    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int last_epoch = -1) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        SetMilestones(milestones);
        this.gamma = gamma;
        Start(last_epoch);
    }

    /// <summary>The milestones in increasing order (with repetitions).</summary>
    public IReadOnlyList<int> milestones => counts.OrderBy(kv => kv.Key).SelectMany(kv => Enumerable.Repeat(kv.Key, kv.Value)).ToArray();

    public double gamma { get; private set; }

    protected override double[] get_lr()
    {
        var lrs = Current(optimizer);
        if (!counts.TryGetValue(last_epoch, out int k)) return lrs;
        return lrs.Select(lr => lr * Math.Pow(gamma, k)).ToArray();
    }

    protected override void SaveState(JsonObject state)
    {
        state["milestones"] = new JsonArray(milestones.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
        state["gamma"] = StateJson.Number(gamma);
    }

    protected override void LoadState(JsonObject state)
    {
        var ms = StateJson.Doubles(state, "milestones");
        if (ms.Any(m => m != Math.Floor(m))) throw new ArgumentException("milestones must be integers");
        double g = StateJson.Double(state, "gamma");
        SetMilestones(ms.Select(m => (int)m));
        gamma = g;
    }

    private void SetMilestones(IEnumerable<int> values)
    {
        var c = new Dictionary<int, int>();
        foreach (var m in values) c[m] = c.GetValueOrDefault(m) + 1;
        counts = c;
    }
}

/// <summary>
/// Anneals the rate along a cosine from initial_lr down to <c>eta_min</c> over <c>T_max</c>
/// steps: lr = η_min + (initial_lr − η_min)(1 + cos(π·epoch/T_max))/2, computed in PyTorch's
/// chainable form (which yields this closed form when nothing else changes the rate). Past T_max
/// the cosine continues and the rate rises again, as in PyTorch.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    public CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0, int last_epoch = -1) : base(optimizer)
    {
        if (T_max <= 0) throw new ArgumentException($"T_max must be positive, got {T_max}", nameof(T_max));
        this.T_max = T_max;
        this.eta_min = eta_min;
        Start(last_epoch);
    }

    public int T_max { get; private set; }
    public double eta_min { get; private set; }

    protected override double[] get_lr()
    {
        var groups = optimizer.param_groups;
        var result = new double[groups.Count];
        int e = last_epoch;
        for (int i = 0; i < groups.Count; i++)
        {
            double lr = groups[i].lr, baseLr = base_lrs[i];
            if (e == 0) result[i] = lr;
            else if (_step_count == 1 && e > 0)
                result[i] = eta_min + (baseLr - eta_min) * (1 + Math.Cos(e * Math.PI / T_max)) / 2;
            else if ((e - 1 - T_max) % (2 * T_max) == 0)
                result[i] = lr + (baseLr - eta_min) * (1 - Math.Cos(Math.PI / T_max)) / 2;
            else
                result[i] = (1 + Math.Cos(Math.PI * e / T_max)) / (1 + Math.Cos(Math.PI * (e - 1) / T_max)) * (lr - eta_min) + eta_min;
        }
        return result;
    }

    protected override void SaveState(JsonObject state)
    {
        state["T_max"] = T_max;
        state["eta_min"] = StateJson.Number(eta_min);
    }

    protected override void LoadState(JsonObject state)
    {
        int t = StateJson.Int(state, "T_max");
        if (t <= 0) throw new ArgumentException($"T_max must be positive, got {t}");
        eta_min = StateJson.Double(state, "eta_min");
        T_max = t;
    }
}

/// <summary>
/// Scales the rate linearly from <c>start_factor</c>·initial_lr to <c>end_factor</c>·initial_lr
/// over <c>total_iters</c> steps, then keeps it (PyTorch's <c>LinearLR</c>, a warm-up):
/// lr = initial_lr · (start + (end − start)·min(epoch, total_iters)/total_iters).
/// </summary>
public sealed class LinearLR : LRScheduler
{
    public LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5, int last_epoch = -1)
        : base(optimizer)
    {
        if (!(start_factor > 0 && start_factor <= 1))
            throw new ArgumentException($"Starting multiplicative factor expected to be greater than 0 and less or equal to 1, got {start_factor}", nameof(start_factor));
        if (!(end_factor >= 0 && end_factor <= 1))
            throw new ArgumentException($"Ending multiplicative factor expected to be between 0 and 1, got {end_factor}", nameof(end_factor));
        if (total_iters < 0) throw new ArgumentException($"total_iters must not be negative, got {total_iters}", nameof(total_iters));
        this.start_factor = start_factor;
        this.end_factor = end_factor;
        this.total_iters = total_iters;
        Start(last_epoch);
    }

    public double start_factor { get; private set; }
    public double end_factor { get; private set; }
    public int total_iters { get; private set; }

    protected override double[] get_lr()
    {
        var lrs = Current(optimizer);
        if (last_epoch == 0) return lrs.Select(lr => lr * start_factor).ToArray();
        if (last_epoch > total_iters) return lrs;
        return lrs.Select(lr => lr * (1.0 + (end_factor - start_factor) /
            (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor)))).ToArray();
    }

    protected override void SaveState(JsonObject state)
    {
        state["start_factor"] = StateJson.Number(start_factor);
        state["end_factor"] = StateJson.Number(end_factor);
        state["total_iters"] = total_iters;
    }

    protected override void LoadState(JsonObject state)
    {
        double s = StateJson.Double(state, "start_factor"), e = StateJson.Double(state, "end_factor");
        int t = StateJson.Int(state, "total_iters");
        start_factor = s;
        end_factor = e;
        total_iters = t;
    }
}
