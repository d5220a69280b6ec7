using System.Text;

namespace CnnCourse.Torch.Modules;

/// <summary>
/// Base class of every layer and network, as PyTorch's <c>torch.nn.Module</c>.
/// <para>
/// Parameters, buffers and submodules are discovered from the module's fields: every instance
/// field (public or private, in declaration order) holding a <see cref="Parameter"/> or a
/// <see cref="Module"/> is one, under the field's name, which is also its state-dict key
/// (<c>conv1.weight</c>, <c>layer1.0.bn1.running_mean</c>). Discovery reads the fields' current
/// values every time, so there is nothing to call after construction and nothing to forget.
/// Names known only at run time are registered with <see cref="register_module"/>,
/// <see cref="register_parameter"/> and <see cref="register_buffer"/>.
/// </para>
/// <para>
/// Modules kept in an array, a List or any other collection would not be registered (they would
/// not train, move with <c>to()</c> or be saved), so such a field is an error raised by every
/// discovery call: use <see cref="ModuleList"/>, <see cref="ModuleDict"/>,
/// <see cref="Sequential"/> or <see cref="ParameterList"/>. A field that must hold a module
/// owned elsewhere is marked <see cref="UnregisteredAttribute"/>.
/// </para>
/// </summary>
[Display.TypeFormatterSource(typeof(Display.PrintedFormSource), PreferredMimeTypes = new[] { "text/plain" })]
public abstract partial class Module : IDisposable
{
    private readonly OrderedDictionary<string, Module?> registeredModules = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Parameter?> registeredParameters = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Tensor?> registeredBuffers = new(StringComparer.Ordinal);
    private readonly HashSet<string> nonPersistentBuffers = new(StringComparer.Ordinal);
    private bool disposed;

    /// <summary>True in training mode (the default), false after <see cref="eval"/>.</summary>
    public bool training { get; private set; } = true;

    // ---- forward ----------------------------------------------------------------------------

    /// <summary>The computation of this module. Call it through <see cref="call"/>, which runs hooks.</summary>
    public virtual Tensor forward(Tensor input) =>
        throw new NotImplementedException($"{GetName()} does not implement forward(Tensor); override it, or call the method this module provides for its inputs");

    /// <summary>Runs the forward pre-hooks, <see cref="forward"/> and the forward hooks (PyTorch's <c>module(x)</c>).</summary>
    public Tensor call(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (preHooks is null && forwardHooks is null) return forward(input);
        if (preHooks is not null)
            foreach (var hook in preHooks.ToArray())
                if (hook.Pre!(this, input) is { } replaced) input = replaced;
        var output = forward(input);
        if (forwardHooks is not null)
            foreach (var hook in forwardHooks.ToArray())
                if (hook.Post!(this, input, output) is { } replaced) output = replaced;
        return output;
    }

    // ---- registration -----------------------------------------------------------------------

    /// <summary>
    /// Registers <paramref name="module"/> as a child named <paramref name="name"/> (for names known
    /// only at run time, such as DenseNet's <c>denselayer1</c>). If this module has a field of that
    /// name, the field is assigned instead. null registers an empty slot.
    /// </summary>
    public void register_module(string name, Module? module)
    {
        CheckName(name, nameof(register_module));
        if (ReferenceEquals(module, this)) throw new ArgumentException($"register_module: a module cannot be its own child ('{name}')", nameof(module));
        if (AssignField(name, module, FieldKind.Module, nameof(register_module))) return;
        CheckNotTaken(name, registeredParameters, registeredBuffers, nameof(register_module));
        registeredModules[name] = module;
    }

    /// <summary>PyTorch's other name for <see cref="register_module"/>.</summary>
    public void add_module(string name, Module? module) => register_module(name, module);

    /// <summary>
    /// Registers a parameter named <paramref name="name"/>. If this module has a field of that name,
    /// the field is assigned instead. null registers an absent parameter (as a bias=False layer's).
    /// </summary>
    public void register_parameter(string name, Parameter? parameter)
    {
        CheckName(name, nameof(register_parameter));
        if (registeredBuffers.ContainsKey(name))
            throw new ArgumentException($"register_parameter: '{name}' is already a buffer of {GetName()}", nameof(name));
        if (AssignField(name, parameter, FieldKind.Tensor, nameof(register_parameter))) return;
        CheckNotTaken(name, registeredModules, registeredBuffers, nameof(register_parameter));
        registeredParameters[name] = parameter;
    }

    /// <summary>
    /// Registers a buffer: state that is not trained but moves with <c>to()</c> and, when
    /// <paramref name="persistent"/>, is saved in the state dict (BatchNorm's running_mean). The
    /// module owns the tensor from now on (it leaves its dispose scope). If this module has a
    /// Tensor field of that name, the field holds the buffer: it is assigned now, and reassigning
    /// it later replaces the buffer.
    /// </summary>
    public void register_buffer(string name, Tensor? tensor, bool persistent = true)
    {
        CheckName(name, nameof(register_buffer));
        if (tensor is Parameter)
            throw new ArgumentException($"register_buffer: '{name}' is a Parameter; register it with register_parameter (or assign it to a field)", nameof(tensor));
        CheckNotTaken(name, registeredModules, registeredParameters, nameof(register_buffer));
        var plan = Plan();
        if (plan.ByName.TryGetValue(name, out var field))
        {
            if (field.Kind != FieldKind.Tensor || (tensor is not null && !field.Field.FieldType.IsInstanceOfType(tensor)))
                throw new ArgumentException($"register_buffer: {GetName()}.{name} is a field of type {field.Field.FieldType.Name}, which cannot hold this buffer", nameof(name));
            field.Field.SetValue(this, tensor);
        }
        tensor?.DetachFromDisposeScope();
        registeredBuffers[name] = tensor;
        if (persistent) nonPersistentBuffers.Remove(name);
        else nonPersistentBuffers.Add(name);
    }

    private void CheckName(string name, string operation)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException($"{operation}: the name must not be empty", nameof(name));
        if (name.Contains('.')) throw new ArgumentException($"{operation}: the name \"{name}\" must not contain \".\"", nameof(name));
    }

    private void CheckNotTaken<T1, T2>(string name, OrderedDictionary<string, T1> a, OrderedDictionary<string, T2> b, string operation)
    {
        if (a.ContainsKey(name) || b.ContainsKey(name))
            throw new ArgumentException($"{operation}: {GetName()} already has a member named '{name}'", nameof(name));
    }

    /// <summary>Assigns the field called <paramref name="name"/>, if there is one; false if there is none.</summary>
    private bool AssignField(string name, object? value, FieldKind kind, string operation)
    {
        if (!Plan().ByName.TryGetValue(name, out var field)) return false;
        bool fits = field.Kind == kind && (value is null || field.Field.FieldType.IsInstanceOfType(value)) &&
                    !(kind == FieldKind.Tensor && registeredBuffers.ContainsKey(name));
        if (!fits)
            throw new ArgumentException($"{operation}: {GetName()}.{name} is a field of type {field.Field.FieldType.Name}, which cannot hold this {(kind == FieldKind.Module ? "module" : "parameter")}", nameof(name));
        field.Field.SetValue(this, value);
        return true;
    }

    /// <summary>Empties the registered (not field-held) children; containers use it to renumber.</summary>
    private protected void ClearRegisteredModules() => registeredModules.Clear();

    private protected bool UnregisterModule(string name) => registeredModules.Remove(name);

    private protected Module? RegisteredModule(string name) =>
        registeredModules.TryGetValue(name, out var m) ? m : null;

    private protected IEnumerable<KeyValuePair<string, Module?>> RegisteredModules => registeredModules;

    private protected IEnumerable<KeyValuePair<string, Parameter?>> RegisteredParameters => registeredParameters;

    // ---- modes ------------------------------------------------------------------------------

    /// <summary>Sets training mode on this module and every descendant (Dropout, BatchNorm react to it).</summary>
    public virtual Module train(bool on = true)
    {
        using var guard = Enter(nameof(train));
        training = on;
        foreach (var child in children()) child.train(on);
        return this;
    }

    /// <summary>Evaluation mode: <c>train(false)</c>.</summary>
    public Module eval() => train(false);

    /// <summary>Sets requires_grad on every parameter (false freezes the module).</summary>
    public Module requires_grad_(bool requires_grad = true)
    {
        foreach (var p in parameters()) p.requires_grad = requires_grad;
        return this;
    }

    /// <summary>Calls <paramref name="fn"/> on every descendant, children first, then on this module.</summary>
    public Module apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        using var guard = Enter(nameof(apply));
        foreach (var child in children()) child.apply(fn);
        fn(this);
        return this;
    }

    /// <summary>
    /// Clears the gradients of every parameter: sets them to null (the default, as PyTorch 2) or
    /// fills them with zeros.
    /// </summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in parameters())
        {
            using var g = p.grad;
            if (g is null) continue;
            if (set_to_none)
            {
                p.grad = null;
                continue;
            }
            if (!g.is_leaf) g.detach_();
            else g.requires_grad = false;
            g.zero_();
        }
    }

    // ---- display ----------------------------------------------------------------------------

    /// <summary>The class name shown by <see cref="ToString"/>.</summary>
    protected virtual string GetName()
    {
        var name = GetType().Name;
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }

    /// <summary>The layer's settings shown after its name, e.g. <c>3, 64, kernel_size=(7, 7), stride=(2, 2)</c>.</summary>
    public virtual string extra_repr() => "";

    /// <summary>The module tree as PyTorch prints it.</summary>
    public override string ToString()
    {
        using var guard = Enter(nameof(ToString));
        var extra = extra_repr();
        var lines = new List<string>();
        if (!string.IsNullOrEmpty(extra)) lines.AddRange(extra.Split('\n'));
        int extraCount = lines.Count;
        foreach (var (name, child) in LocalChildren())
            lines.Add($"({name}): {Indent(child.ToString(), 2)}");
        var sb = new StringBuilder(GetName()).Append('(');
        if (lines.Count == 1 && extraCount == 1) sb.Append(lines[0]);
        else if (lines.Count > 0) sb.Append("\n  ").Append(string.Join("\n  ", lines)).Append('\n');
        return sb.Append(')').ToString();
    }

    private static string Indent(string text, int spaces) =>
        text.Replace("\n", "\n" + new string(' ', spaces));

    // ---- recursion over the tree -------------------------------------------------------------

    [ThreadStatic] private static HashSet<Module>? active;

    // Marks this module as being visited by a recursive operation on this thread; meeting it again
    // below itself means the tree has a cycle (a field referring back to an ancestor), which would
    // otherwise recurse until the stack overflows.
    private protected CycleGuard Enter(string operation)
    {
        active ??= new HashSet<Module>(ReferenceEqualityComparer.Instance);
        if (!active.Add(this)) throw CycleError(operation);
        return new CycleGuard(this);
    }

    private protected InvalidOperationException CycleError(string operation) => new(
        $"{operation}: {GetName()} is its own descendant: a field refers back to an ancestor module. A module tree cannot have " +
        "cycles; mark the back-reference field [Unregistered].");

    private protected readonly struct CycleGuard(Module module) : IDisposable
    {
        public void Dispose() => active?.Remove(module);
    }

    // ---- disposal ---------------------------------------------------------------------------

    /// <summary>Frees the parameters and buffers of this module and of its descendants.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed || !disposing) return;
        disposed = true;
        foreach (var (_, child) in LocalChildren(lenient: true)) child.Dispose();
        foreach (var (_, p) in LocalParameters(lenient: true)) p.Dispose();
        foreach (var (_, b, _) in LocalBuffers(lenient: true)) b.Dispose();
    }
}

/// <summary>
/// Marks a field of a module that holds a module, parameter or collection of them that this module
/// does not own (a reference to a module registered elsewhere): discovery skips it.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true)]
public sealed class UnregisteredAttribute : Attribute
{
}
