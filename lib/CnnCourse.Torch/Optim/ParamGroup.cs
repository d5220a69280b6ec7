using System.Globalization;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// A group of parameters with its own hyper-parameters: PyTorch's <c>optimizer.param_groups[i]</c>.
/// Values the group leaves unset take the optimizer's defaults when the group is added. They stay
/// settable while training (<c>opt.param_groups[0].lr = 0.01</c>), which is how schedulers work.
/// <code>
/// var opt = torch.optim.SGD(new[] {
///     new ParamGroup(backbone.parameters(), lr: 0.001),
///     new ParamGroup(head.parameters()) }, lr: 0.1, momentum: 0.9);
/// </code>
/// Hyper-parameters are kept by PyTorch's names; reading one the group does not have (an SGD
/// group's <see cref="betas"/>) throws KeyNotFoundException, like PyTorch's KeyError.
/// </summary>
public sealed class ParamGroup
{
    // Values are double, bool or (double, double), in insertion order (PyTorch's dict order).
    private readonly Dictionary<string, object> options = new();
    private readonly List<string> order = new();

    public ParamGroup(IEnumerable<Tensor> @params, double? lr = null, double? momentum = null, double? dampening = null,
                      double? weight_decay = null, bool? nesterov = null, (double beta1, double beta2)? betas = null,
                      double? eps = null, bool? amsgrad = null, double? alpha = null, bool? centered = null,
                      bool? maximize = null)
    {
        ArgumentNullException.ThrowIfNull(@params);
        var list = new List<Tensor>();
        foreach (var p in @params)
            list.Add(p ?? throw new ArgumentException("a parameter group holds a null tensor", nameof(@params)));
        this.@params = list.AsReadOnly();
        if (lr is { } l) this.lr = l;
        if (momentum is { } m) this.momentum = m;
        if (dampening is { } d) this.dampening = d;
        if (weight_decay is { } w) this.weight_decay = w;
        if (nesterov is { } n) this.nesterov = n;
        if (betas is { } b) this.betas = b;
        if (eps is { } e) this.eps = e;
        if (amsgrad is { } a) this.amsgrad = a;
        if (alpha is { } al) this.alpha = al;
        if (centered is { } c) this.centered = c;
        if (maximize is { } mx) this.maximize = mx;
    }

    /// <summary>The group's parameters, in order.</summary>
    public IReadOnlyList<Tensor> @params { get; }

    public double lr { get => Get<double>(nameof(lr)); set => Set(nameof(lr), value); }
    public double momentum { get => Get<double>(nameof(momentum)); set => Set(nameof(momentum), value); }
    public double dampening { get => Get<double>(nameof(dampening)); set => Set(nameof(dampening), value); }
    public double weight_decay { get => Get<double>(nameof(weight_decay)); set => Set(nameof(weight_decay), value); }
    public bool nesterov { get => Get<bool>(nameof(nesterov)); set => Set(nameof(nesterov), value); }
    public bool maximize { get => Get<bool>(nameof(maximize)); set => Set(nameof(maximize), value); }
    public (double beta1, double beta2) betas { get => Get<(double, double)>(nameof(betas)); set => Set(nameof(betas), value); }
    public double eps { get => Get<double>(nameof(eps)); set => Set(nameof(eps), value); }
    public bool amsgrad { get => Get<bool>(nameof(amsgrad)); set => Set(nameof(amsgrad), value); }
    public double alpha { get => Get<double>(nameof(alpha)); set => Set(nameof(alpha), value); }
    public bool centered { get => Get<bool>(nameof(centered)); set => Set(nameof(centered), value); }

    // Written by learning-rate schedulers, as PyTorch's schedulers write them into the group.
    public double initial_lr { get => Get<double>(nameof(initial_lr)); set => Set(nameof(initial_lr), value); }
    public double max_lr { get => Get<double>(nameof(max_lr)); set => Set(nameof(max_lr), value); }
    public double min_lr { get => Get<double>(nameof(min_lr)); set => Set(nameof(min_lr), value); }
    public double max_momentum { get => Get<double>(nameof(max_momentum)); set => Set(nameof(max_momentum), value); }
    public double base_momentum { get => Get<double>(nameof(base_momentum)); set => Set(nameof(base_momentum), value); }

    /// <summary>
    /// A hyper-parameter by PyTorch's name: a double, a bool, or (double, double) for betas.
    /// Integers are stored as doubles.
    /// </summary>
    public object this[string key]
    {
        get => Get<object>(key);
        set => Set(key, Normalize(key, value));
    }

    /// <summary>Whether the group has the hyper-parameter <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => options.ContainsKey(key);

    /// <summary>The hyper-parameter names, in the order they were set (PyTorch's order).</summary>
    public IReadOnlyList<string> Keys => order.AsReadOnly();

    /// <summary>Sets <paramref name="key"/> unless the group already has it (dict.setdefault).</summary>
    public void SetDefault(string key, object value)
    {
        if (!options.ContainsKey(key)) Set(key, Normalize(key, value));
    }

    /// <summary>The hyper-parameters by name (for display and state dicts).</summary>
    public IReadOnlyDictionary<string, object> Options() => order.ToDictionary(k => k, k => options[k]);

    /// <summary>Replaces every hyper-parameter (load_state_dict).</summary>
    internal void ReplaceOptions(IEnumerable<KeyValuePair<string, object>> values)
    {
        options.Clear();
        order.Clear();
        foreach (var (k, v) in values) Set(k, Normalize(k, v));
    }

    public override string ToString() =>
        "ParamGroup(" + @params.Count + " params" +
        string.Concat(order.Select(k => ", " + k + "=" + Format(options[k]))) + ")";

    private T Get<T>(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!options.TryGetValue(key, out var value))
            throw new KeyNotFoundException($"this parameter group has no '{key}'" +
                (order.Count > 0 ? $"; it has {string.Join(", ", order)}" : "; it has no hyper-parameters yet (they come from the optimizer when the group is added)"));
        if (value is T typed) return typed;
        throw new InvalidCastException($"parameter group value '{key}' is a {Describe(value)}, not a {typeof(T).Name}");
    }

    private void Set(string key, object value)
    {
        if (!options.ContainsKey(key)) order.Add(key);
        options[key] = value;
    }

    private static object Normalize(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return value switch
        {
            double or bool or ValueTuple<double, double> => value,
            float f => (double)f,
            int i => (double)i,
            long l => (double)l,
            double[] { Length: 2 } a => (a[0], a[1]),
            _ => throw new ArgumentException($"parameter group value '{key}' must be a number, a bool or a pair of numbers (betas); got {Describe(value)}", nameof(value)),
        };
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        ValueTuple<double, double> => "pair of numbers",
        _ => value.GetType().Name,
    };

    internal static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        ValueTuple<double, double> t => $"({Format(t.Item1)}, {Format(t.Item2)})",
        _ => value.ToString() ?? "",
    };
}
