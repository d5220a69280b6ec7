using System.Text.Json.Nodes;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// The 1cycle policy (Smith &amp; Topin, 2018), PyTorch's <c>OneCycleLR</c>: the rate rises from
/// max_lr/div_factor to max_lr over the first <c>pct_start</c> of <c>total_steps</c>, then anneals
/// to initial_lr/final_div_factor (cosine or linear); with <c>three_phase</c> it first comes back
/// down to the initial rate, then anneals. With <c>cycle_momentum</c> the momentum (SGD's
/// momentum, Adam's β₁) moves inversely between max_momentum and base_momentum. Step it after
/// every batch; stepping more than total_steps times is an error.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private sealed record Phase(double end_step, string start_lr, string end_lr, string start_momentum, string end_momentum);

    private Phase[] phases = Array.Empty<Phase>();

    public OneCycleLR(Optimizer optimizer, double max_lr, int? total_steps = null, int? epochs = null, int? steps_per_epoch = null,
                      double pct_start = 0.3, string anneal_strategy = "cos", bool cycle_momentum = true,
                      double base_momentum = 0.85, double max_momentum = 0.95, double div_factor = 25.0,
                      double final_div_factor = 1e4, bool three_phase = false, int last_epoch = -1)
        : this(optimizer, Enumerable.Repeat(max_lr, (optimizer ?? throw new ArgumentNullException(nameof(optimizer))).param_groups.Count).ToArray(),
               total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy, cycle_momentum, base_momentum, max_momentum,
               div_factor, final_div_factor, three_phase, last_epoch) { }

    /// <param name="max_lr">One peak rate per parameter group.</param>
    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> max_lr, int? total_steps = null, int? epochs = null, int? steps_per_epoch = null,
                      double pct_start = 0.3, string anneal_strategy = "cos", bool cycle_momentum = true,
                      double base_momentum = 0.85, double max_momentum = 0.95, double div_factor = 25.0,
                      double final_div_factor = 1e4, bool three_phase = false, int last_epoch = -1)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(max_lr);
        var groups = optimizer.param_groups;
        if (max_lr.Count != groups.Count)
            throw new ArgumentException($"expected {groups.Count} values for max_lr, got {max_lr.Count}", nameof(max_lr));

        if (total_steps is { } total)
        {
            if (total <= 0) throw new ArgumentException($"Expected positive integer total_steps, but got {total}", nameof(total_steps));
            this.total_steps = total;
        }
        else if (epochs is null || steps_per_epoch is null)
            throw new ArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)", nameof(total_steps));
        else
        {
            if (epochs <= 0) throw new ArgumentException($"Expected positive integer epochs, but got {epochs}", nameof(epochs));
            if (steps_per_epoch <= 0) throw new ArgumentException($"Expected positive integer steps_per_epoch, but got {steps_per_epoch}", nameof(steps_per_epoch));
            this.total_steps = checked(epochs.Value * steps_per_epoch.Value);
        }
        if (!(pct_start >= 0 && pct_start <= 1))
            throw new ArgumentException($"Expected float between 0 and 1 pct_start, but got {pct_start}", nameof(pct_start));
        if (anneal_strategy is not ("cos" or "linear"))
            throw new ArgumentException($"anneal_strategy must be one of 'cos' or 'linear', instead got '{anneal_strategy}'", nameof(anneal_strategy));
        this.anneal_strategy = anneal_strategy;
        this.three_phase = three_phase;
        phases = MakePhases(this.total_steps, pct_start, three_phase);

        if (last_epoch == -1)
            for (int i = 0; i < groups.Count; i++)
            {
                groups[i].initial_lr = max_lr[i] / div_factor;
                groups[i].max_lr = max_lr[i];
                groups[i].min_lr = groups[i].initial_lr / final_div_factor;
            }

        this.cycle_momentum = cycle_momentum;
        if (cycle_momentum)
        {
            if (!optimizer.defaults.ContainsKey("momentum") && !optimizer.defaults.ContainsKey("betas"))
                throw new ArgumentException("optimizer must support momentum with `cycle_momentum` option enabled", nameof(cycle_momentum));
            use_beta1 = optimizer.defaults.ContainsKey("betas");
            if (last_epoch == -1)
                foreach (var g in groups)
                {
                    if (use_beta1) g.betas = (max_momentum, g.betas.beta2);
                    else g.momentum = max_momentum;
                    g.max_momentum = max_momentum;
                    g.base_momentum = base_momentum;
                }
        }
        Start(last_epoch);
    }

    public int total_steps { get; private set; }
    public string anneal_strategy { get; private set; }
    public bool three_phase { get; private set; }
    public bool cycle_momentum { get; private set; }

    /// <summary>Whether the cycled momentum is Adam's β₁ (true) or SGD's momentum (false).</summary>
    public bool use_beta1 { get; private set; }

    protected override double[] get_lr()
    {
        int stepNum = last_epoch;
        if (stepNum > total_steps)
            throw new InvalidOperationException($"Tried to step {stepNum + 1} times. The specified number of total steps is {total_steps}");
        var groups = optimizer.param_groups;
        var lrs = new double[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            double startStep = 0;
            for (int i = 0; i < phases.Length; i++)
            {
                var phase = phases[i];
                double endStep = phase.end_step;
                if (stepNum <= endStep || i == phases.Length - 1)
                {
                    if (endStep == startStep)
                        throw new InvalidOperationException($"OneCycleLR: phase {i} is empty (pct_start × total_steps = {phases[0].end_step + 1}); use more steps or another pct_start");
                    double pct = (stepNum - startStep) / (endStep - startStep);
                    lrs[g] = Anneal(Value(group, phase.start_lr), Value(group, phase.end_lr), pct);
                    if (cycle_momentum)
                    {
                        double m = Anneal(Value(group, phase.start_momentum), Value(group, phase.end_momentum), pct);
                        if (use_beta1) group.betas = (m, group.betas.beta2);
                        else group.momentum = m;
                    }
                    break;
                }
                startStep = phase.end_step;
            }
        }
        return lrs;
    }

    private double Anneal(double start, double end, double pct)
    {
        if (anneal_strategy == "cos")
        {
            double cosOut = Math.Cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    private static double Value(ParamGroup group, string key) => (double)group[key];

    private static Phase[] MakePhases(int totalSteps, double pctStart, bool threePhase) => threePhase
        ? new[]
        {
            new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            new Phase(2 * pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
            new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        }
        : new[]
        {
            new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
        };

    protected override void SaveState(JsonObject state)
    {
        state["total_steps"] = total_steps;
        state["anneal_strategy"] = anneal_strategy;
        state["three_phase"] = three_phase;
        state["cycle_momentum"] = cycle_momentum;
        state["use_beta1"] = use_beta1;
        state["_schedule_phases"] = new JsonArray(phases.Select(p => (JsonNode?)new JsonObject
        {
            ["end_step"] = StateJson.Number(p.end_step),
            ["start_lr"] = p.start_lr,
            ["end_lr"] = p.end_lr,
            ["start_momentum"] = p.start_momentum,
            ["end_momentum"] = p.end_momentum,
        }).ToArray());
    }

    protected override void LoadState(JsonObject state)
    {
        int total = StateJson.Int(state, "total_steps");
        string anneal = StateJson.String(state, "anneal_strategy");
        if (anneal is not ("cos" or "linear")) throw new ArgumentException($"unknown anneal_strategy '{anneal}'");
        var loaded = new List<Phase>();
        foreach (var node in StateJson.Required(state, "_schedule_phases") as JsonArray ?? throw new ArgumentException("_schedule_phases is not a list"))
        {
            var o = node as JsonObject ?? throw new ArgumentException("a schedule phase is not an object");
            loaded.Add(new Phase(StateJson.Double(o, "end_step"), StateJson.String(o, "start_lr"), StateJson.String(o, "end_lr"),
                                 StateJson.String(o, "start_momentum"), StateJson.String(o, "end_momentum")));
        }
        if (loaded.Count == 0) throw new ArgumentException("_schedule_phases is empty");
        bool three = StateJson.Bool(state, "three_phase"), cycle = StateJson.Bool(state, "cycle_momentum"), beta1 = StateJson.Bool(state, "use_beta1");
        total_steps = total;
        anneal_strategy = anneal;
        phases = loaded.ToArray();
        three_phase = three;
        cycle_momentum = cycle;
        use_beta1 = beta1;
    }
}
