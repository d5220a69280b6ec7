using CnnCourse.Torch.Native;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// The base of every optimizer, shaped like PyTorch's <c>torch.optim.Optimizer</c>: parameter
/// groups with their own hyper-parameters, per-parameter state, <see cref="step()"/>,
/// <see cref="zero_grad"/>, <see cref="state_dict"/> and <see cref="load_state_dict"/>.
/// <para>
/// The optimizer owns its state tensors (no dispose scope frees them); dispose the optimizer to
/// free them. Each step is one native call per parameter group that updates every parameter in
/// place, without recording gradients, by PyTorch's formulas. Parameters without a gradient are
/// skipped and get no state.
/// </para>
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> groups = new();
    private readonly Dictionary<Tensor, ParamState> states = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, object> defaultOptions;
    private bool disposed;

    /// <param name="param_groups">The groups to optimize (at least one parameter in all).</param>
    /// <param name="defaults">Every hyper-parameter of this optimizer with its default value,
    /// by PyTorch's name, in PyTorch's order; groups take the values they do not set.</param>
    protected Optimizer(IEnumerable<ParamGroup> param_groups, IEnumerable<KeyValuePair<string, object>> defaults)
    {
        ArgumentNullException.ThrowIfNull(param_groups);
        ArgumentNullException.ThrowIfNull(defaults);
        defaultOptions = new Dictionary<string, object>(defaults);
        var list = param_groups.ToList();
        if (list.Count == 0 || list.All(g => g is not null && g.@params.Count == 0))
            throw new ArgumentException("optimizer got an empty parameter list", nameof(param_groups));
        foreach (var g in list) add_param_group(g ?? throw new ArgumentException("a parameter group is null", nameof(param_groups)));
    }

    /// <summary>The parameter groups, each with its hyper-parameters (settable while training).</summary>
    public IReadOnlyList<ParamGroup> param_groups => groups;

    /// <summary>The optimizer's default hyper-parameters, by PyTorch's names.</summary>
    public IReadOnlyDictionary<string, object> defaults => defaultOptions;

    /// <summary>Per-parameter state (<c>opt.state[p]["exp_avg"]</c>), for parameters stepped at least once.</summary>
    public IReadOnlyDictionary<Tensor, ParamState> state => states;

    /// <summary>Every parameter of every group, in order.</summary>
    public IEnumerable<Tensor> parameters() => groups.SelectMany(g => g.@params);

    /// <summary>Adds a group (for example layers unfrozen while fine-tuning); unset values take the defaults.</summary>
    public void add_param_group(ParamGroup param_group)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(param_group);
        if (groups.Contains(param_group))
            throw new ArgumentException("this parameter group was already added to the optimizer", nameof(param_group));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var g in groups)
            foreach (var p in g.@params) seen.Add(p);
        foreach (var p in param_group.@params)
        {
            if (!p.is_leaf)
                throw new ArgumentException("can't optimize a non-leaf Tensor (a result of other operations); optimize the leaf it came from, or call detach().requires_grad_()", nameof(param_group));
            if (!seen.Add(p))
                throw new ArgumentException("some parameters appear more than once (in one group or in several); each parameter may be optimized once", nameof(param_group));
        }
        foreach (var (key, value) in defaultOptions) param_group.SetDefault(key, value);
        groups.Add(param_group);
    }

    /// <summary>Performs one optimization step on every parameter that has a gradient.</summary>
    public void step()
    {
        ThrowIfDisposed();
        foreach (var g in groups)
        {
            var withGrad = ParamsWithGrad(g.@params);
            if (withGrad.Count > 0) Update(g, withGrad);
        }
    }

    /// <summary>
    /// Re-evaluates the model with <paramref name="closure"/> (gradients enabled), then steps.
    /// Returns the closure's loss.
    /// </summary>
    public Tensor step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        ThrowIfDisposed();
        Tensor loss;
        using (torch.enable_grad()) loss = closure();
        step();
        return loss;
    }

    /// <summary>
    /// Clears the gradients of every parameter: drops them (<paramref name="set_to_none"/>, the
    /// default, as in PyTorch 2) or zeroes them in place.
    /// </summary>
    public void zero_grad(bool set_to_none = true)
    {
        ThrowIfDisposed();
        var all = parameters().ToList();
        if (all.Count == 0) return;
        using var handles = new HandleArray(all);
        Check.Status(NativeMethods.cnt_optim_zero_grad(handles.Pointers, handles.Length, set_to_none));
    }

    /// <summary>
    /// The optimizer's state as PyTorch structures it: per-parameter state keyed by the
    /// parameter's index (counted across groups in order) and each group's hyper-parameters with
    /// the indices of its parameters. The tensors are copies (created in the current dispose
    /// scope); stepping on does not change them.
    /// </summary>
    public OptimizerStateDict state_dict()
    {
        ThrowIfDisposed();
        var index = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var packed = new List<OptimizerStateDict.ParamGroupState>();
        foreach (var g in groups)
        {
            var ids = new List<int>();
            foreach (var p in g.@params)
            {
                index[p] = index.Count;
                ids.Add(index[p]);
            }
            packed.Add(new OptimizerStateDict.ParamGroupState(ids, g.Options()));
        }
        var state = new SortedDictionary<int, IReadOnlyDictionary<string, Tensor>>();
        try
        {
            foreach (var (p, st) in states)
            {
                if (st.Count == 0 || !index.TryGetValue(p, out int i)) continue;
                var copy = new Dictionary<string, Tensor>();
                state[i] = copy;
                foreach (var (name, t) in st) copy[name] = t.clone();
            }
        }
        catch
        {
            foreach (var s in state.Values)
                foreach (var t in s.Values) t.Dispose();
            throw;
        }
        return new OptimizerStateDict(state, packed);
    }

    /// <summary>
    /// Restores state saved by <see cref="state_dict"/> (of an optimizer over parameters of the
    /// same shapes, grouped the same way): hyper-parameters of every group and each parameter's
    /// buffers, copied and cast to the parameter's dtype and device ("step" is kept as saved).
    /// </summary>
    public void load_state_dict(OptimizerStateDict state_dict)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(state_dict);
        var saved = state_dict.param_groups;
        if (saved.Count != groups.Count)
            throw new ArgumentException($"loaded state dict has a different number of parameter groups ({saved.Count}, the optimizer has {groups.Count})", nameof(state_dict));
        var byIndex = new List<Tensor>();
        for (int g = 0; g < groups.Count; g++)
        {
            if (saved[g].@params.Count != groups[g].@params.Count)
                throw new ArgumentException($"loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group {g}: {saved[g].@params.Count} parameters saved, {groups[g].@params.Count} in the optimizer)", nameof(state_dict));
            foreach (var key in defaultOptions.Keys)
                if (!saved[g].options.ContainsKey(key))
                    throw new ArgumentException($"loaded state dict's parameter group {g} has no '{key}'; was it saved from a different kind of optimizer?", nameof(state_dict));
        }
        // Saved indices map to this optimizer's parameters in group order, as in PyTorch.
        var idMap = new Dictionary<int, Tensor>();
        for (int g = 0; g < groups.Count; g++)
            for (int j = 0; j < groups[g].@params.Count; j++)
                idMap[saved[g].@params[j]] = groups[g].@params[j];

        var fresh = new Dictionary<Tensor, ParamState>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var (i, buffers) in state_dict.state)
            {
                if (!idMap.TryGetValue(i, out var p))
                    throw new ArgumentException($"loaded state dict has state for parameter {i}, which no parameter group lists", nameof(state_dict));
                var st = new ParamState();
                fresh[p] = st;
                var shape = p.shape;
                var dtype = p.dtype;
                var device = p.device;
                foreach (var (name, value) in buffers)
                {
                    if (name == "step")
                    {
                        st.Add(name, value.clone());
                        continue;
                    }
                    var vshape = value.shape;
                    if (!vshape.SequenceEqual(shape))
                        throw new ArgumentException($"loaded state '{name}' of parameter {i} has shape [{string.Join(", ", vshape)}], but the parameter has shape [{string.Join(", ", shape)}]", nameof(state_dict));
                    st.Add(name, value.to(dtype.IsFloatingPoint() ? dtype : value.dtype, device, copy: true));
                }
            }
        }
        catch
        {
            foreach (var st in fresh.Values) st.DisposeAll();
            throw;
        }

        foreach (var st in states.Values) st.DisposeAll();
        states.Clear();
        foreach (var (p, st) in fresh) states[p] = st;
        for (int g = 0; g < groups.Count; g++) groups[g].ReplaceOptions(saved[g].options);
    }

    /// <summary>Frees the optimizer's state tensors (not the parameters).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var st in states.Values) st.DisposeAll();
        states.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Updates <paramref name="parameters"/> (the group's parameters that have a gradient).</summary>
    protected abstract void Update(ParamGroup group, IReadOnlyList<Tensor> parameters);

    /// <summary>The state of <paramref name="parameter"/>, created empty on first use.</summary>
    protected internal ParamState StateOf(Tensor parameter)
    {
        if (!states.TryGetValue(parameter, out var st)) states[parameter] = st = new ParamState();
        return st;
    }

    /// <summary>A 0-dim CPU step counter, as PyTorch keeps <c>state["step"]</c>.</summary>
    protected internal static Tensor NewStepCounter(ScalarType dtype) => torch.zeros(Array.Empty<long>(), dtype);

    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    private static List<Tensor> ParamsWithGrad(IReadOnlyList<Tensor> ps)
    {
        var result = new List<Tensor>(ps.Count);
        if (ps.Count == 0) return result;
        var flags = new byte[ps.Count];
        using (var handles = new HandleArray(ps))
            Check.Status(NativeMethods.cnt_optim_has_grad(handles.Pointers, handles.Length, flags), nameof(step));
        for (int i = 0; i < ps.Count; i++)
            if (flags[i] != 0) result.Add(ps[i]);
        return result;
    }

    /// <summary>Runs a native step over handle arrays built from per-parameter tensor lists (null lists pass NULL).</summary>
    internal static void NativeStep(string operation, Func<IntPtr[][], int> call, params IReadOnlyList<Tensor>?[] lists)
    {
        var arrays = new HandleArray[lists.Length];
        int made = 0;
        try
        {
            for (; made < lists.Length; made++) arrays[made] = new HandleArray(lists[made] ?? Array.Empty<Tensor>());
            var pointers = new IntPtr[lists.Length][];
            for (int i = 0; i < lists.Length; i++) pointers[i] = lists[i] is null ? null! : arrays[i].Pointers;
            Check.Status(call(pointers), operation);
        }
        finally
        {
            for (int i = 0; i < made; i++) arrays[i].Dispose();
        }
    }
}
