using System.Text.Json.Nodes;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// The base of the learning-rate schedulers, shaped like PyTorch's <c>_LRScheduler</c>: call
/// <see cref="step()"/> once per epoch (or per batch, for OneCycleLR) after
/// <c>optimizer.step()</c>; it writes the new rate into every parameter group.
/// <para>
/// Rates are computed in PyTorch's chainable form (each from the group's current rate), so a
/// schedule reproduces PyTorch's sequence exactly and composes with other changes to the rate.
/// Constructing a scheduler already performs step 0 (sets <c>initial_lr</c> and the first rate).
/// </para>
/// </summary>
public abstract class LRScheduler
{
    private double[] baseLrs = Array.Empty<double>();
    private double[] lastLr = Array.Empty<double>();

    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        this.optimizer = optimizer;
    }

    public Optimizer optimizer { get; }

    /// <summary>The index of the last step (epoch) taken; -1 before the constructor's step 0.</summary>
    public int last_epoch { get; protected set; } = -1;

    /// <summary>Each group's <c>initial_lr</c>, the rate the schedule starts from.</summary>
    public IReadOnlyList<double> base_lrs => baseLrs;

    /// <summary>How many times step() ran (the constructor's step included).</summary>
    protected int _step_count { get; set; }

    /// <summary>The rates of the groups after the last step.</summary>
    public IReadOnlyList<double> get_last_lr() => lastLr;

    /// <summary>Advances the schedule by one step and writes the new rates into the groups.</summary>
    public virtual void step()
    {
        var groups = optimizer.param_groups;
        if (groups.Count != baseLrs.Length)
            throw new InvalidOperationException($"the optimizer has {groups.Count} parameter groups, but this scheduler was created for {baseLrs.Length}; create the scheduler after adding every group");
        _step_count++;
        last_epoch++;
        var values = get_lr();
        for (int i = 0; i < groups.Count; i++) groups[i].lr = values[i];
        RecordLastLr();
    }

    /// <summary>
    /// Advances the schedule; the metric is used by <see cref="ReduceLROnPlateau"/> and ignored
    /// by the schedules that do not watch one (so a training loop may call this on any scheduler).
    /// </summary>
    public virtual void step(double metric) => step();

    /// <summary>The rates for the current <see cref="last_epoch"/> (PyTorch's chainable get_lr).</summary>
    protected abstract double[] get_lr();

    /// <summary>
    /// PyTorch's _LRScheduler.__init__ tail: records <c>initial_lr</c> in every group (or requires
    /// it when resuming, <paramref name="last_epoch"/> ≥ 0) and performs the first step. Derived
    /// constructors call it once their own fields are set.
    /// </summary>
    protected void Start(int last_epoch)
    {
        if (last_epoch < -1) throw new ArgumentException($"last_epoch must be -1 (start) or a step index, got {last_epoch}", nameof(last_epoch));
        var groups = optimizer.param_groups;
        for (int i = 0; i < groups.Count; i++)
        {
            if (last_epoch == -1) groups[i].SetDefault("initial_lr", groups[i].lr);
            else if (!groups[i].ContainsKey("initial_lr"))
                throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
        }
        baseLrs = groups.Select(g => g.initial_lr).ToArray();
        this.last_epoch = last_epoch;
        _step_count = 0;
        step();
    }

    /// <summary>Records the groups' current rates as <see cref="get_last_lr"/>.</summary>
    protected void RecordLastLr() => lastLr = optimizer.param_groups.Select(g => g.lr).ToArray();

    /// <summary>The scheduler's state (PyTorch's keys: base_lrs, last_epoch, _step_count, _last_lr and its settings).</summary>
    public virtual SchedulerStateDict state_dict()
    {
        var o = new JsonObject
        {
            ["base_lrs"] = StateJson.Numbers(baseLrs),
            ["last_epoch"] = last_epoch,
            ["_step_count"] = _step_count,
            ["_last_lr"] = StateJson.Numbers(lastLr),
        };
        SaveState(o);
        return new SchedulerStateDict(o);
    }

    /// <summary>Restores state from <see cref="state_dict"/> (the optimizer's state is restored separately).</summary>
    public virtual void load_state_dict(SchedulerStateDict state_dict)
    {
        ArgumentNullException.ThrowIfNull(state_dict);
        var o = state_dict.values;
        var bases = StateJson.Doubles(o, "base_lrs");
        var last = StateJson.Doubles(o, "_last_lr");
        int groups = optimizer.param_groups.Count;
        if (bases.Length != groups || last.Length != groups)
            throw new ArgumentException($"scheduler state has rates for {bases.Length} parameter groups, the optimizer has {groups}", nameof(state_dict));
        int epoch = StateJson.Int(o, "last_epoch");
        int count = StateJson.Int(o, "_step_count");
        LoadState(o);
        baseLrs = bases;
        lastLr = last;
        last_epoch = epoch;
        _step_count = count;
    }

    /// <summary>Adds the scheduler's own settings to its state dict.</summary>
    protected virtual void SaveState(JsonObject state) { }

    /// <summary>Reads the scheduler's own settings back (throw ArgumentException when one is missing).</summary>
    protected virtual void LoadState(JsonObject state) { }

    private protected static double[] Current(Optimizer optimizer) => optimizer.param_groups.Select(g => g.lr).ToArray();
}

/// <summary>A scheduler's state: a JSON object with PyTorch's keys, ready to save as text.</summary>
public sealed class SchedulerStateDict
{
    public SchedulerStateDict(JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(values);
        this.values = values;
    }

    /// <summary>The state by PyTorch's names (non-finite numbers as "Infinity", "-Infinity", "NaN").</summary>
    public JsonObject values { get; }

    public JsonNode? this[string key] => values[key];

    public string ToJson() => values.ToJsonString();

    public static SchedulerStateDict FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return new SchedulerStateDict(JsonNode.Parse(json) as JsonObject
                ?? throw new ArgumentException("scheduler state JSON is not an object", nameof(json)));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"scheduler state JSON is malformed: {e.Message}", nameof(json), e);
        }
    }

    public override string ToString() => ToJson();
}
