namespace CnnCourse.Torch.Modules;

/// <summary>
/// A list of submodules, registered under their positions ("0", "1", …), for blocks built in a
/// loop. Unlike a plain List, its modules train, move with <c>to()</c> and are saved. It has no
/// forward: iterate it in your own.
/// </summary>
public class ModuleList : Module, IReadOnlyList<Module>
{
    public ModuleList() { }

    public ModuleList(params Module[] modules) => extend(modules);

    public ModuleList(IEnumerable<Module> modules) => extend(modules);

    public int Count => LocalChildren().Count;

    public Module this[int index]
    {
        get => LocalChildren()[ContainerIndex.Normalize(index, Count)].module;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var items = Items();
            items[ContainerIndex.Normalize(index, items.Count)] = value;
            Reset(items);
        }
    }

    /// <summary>Adds <paramref name="module"/> at the end; returns this.</summary>
    public ModuleList append(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        register_module(Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        return this;
    }

    public ModuleList extend(IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules.ToList()) append(m);
        return this;
    }

    /// <summary>Inserts <paramref name="module"/> before <paramref name="index"/>, renumbering the rest.</summary>
    public void insert(int index, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var items = Items();
        int i = Math.Clamp(index < 0 ? index + items.Count : index, 0, items.Count);
        items.Insert(i, module);
        Reset(items);
    }

    /// <summary>Removes the module at <paramref name="index"/>, renumbering the rest; returns it.</summary>
    public Module pop(int index = -1)
    {
        var items = Items();
        int i = ContainerIndex.Normalize(index, items.Count);
        var removed = items[i];
        items.RemoveAt(i);
        Reset(items);
        return removed;
    }

    private List<Module> Items() => LocalChildren().Select(c => c.module).ToList();

    private void Reset(List<Module> items)
    {
        ClearRegisteredModules();
        for (int i = 0; i < items.Count; i++) register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), items[i]);
    }

    public IEnumerator<Module> GetEnumerator() => Items().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Submodules under string keys (the keys are their names in the state dict).</summary>
public class ModuleDict : Module, IReadOnlyDictionary<string, Module>
{
    public ModuleDict() { }

    public ModuleDict(params (string name, Module module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, m) in modules) this[name] = m;
    }

    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, m) in modules) this[name] = m;
    }

    /// <summary>Gets the module under <paramref name="key"/>, or adds or replaces it (keeping its position).</summary>
    public Module this[string key]
    {
        get => RegisteredModule(key) ?? throw new KeyNotFoundException($"ModuleDict has no module named '{key}'");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            register_module(key, value);
        }
    }

    public int Count => LocalChildren().Count;

    public bool ContainsKey(string key) => RegisteredModule(key) is not null;

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Module value)
    {
        value = RegisteredModule(key);
        return value is not null;
    }

    public IEnumerable<string> Keys => LocalChildren().Select(c => c.name).ToList();

    public IEnumerable<Module> Values => LocalChildren().Select(c => c.module).ToList();

    public IEnumerable<string> keys() => Keys;

    public IEnumerable<Module> values() => Values;

    public IEnumerable<(string name, Module module)> items() => LocalChildren();

    /// <summary>Removes and returns the module under <paramref name="key"/>.</summary>
    public Module pop(string key)
    {
        var m = this[key];
        UnregisterModule(key);
        return m;
    }

    public IEnumerator<KeyValuePair<string, Module>> GetEnumerator() =>
        LocalChildren().Select(c => new KeyValuePair<string, Module>(c.name, c.module)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A list of parameters registered under their positions ("0", "1", …).</summary>
public class ParameterList : Module, IReadOnlyList<Parameter>
{
    public ParameterList() { }

    public ParameterList(params Parameter[] parameters) => extend(parameters);

    public ParameterList(IEnumerable<Parameter> parameters) => extend(parameters);

    private List<Parameter> Items() => RegisteredParameters.Where(p => p.Value is not null).Select(p => p.Value!).ToList();

    public int Count => Items().Count;

    public Parameter this[int index]
    {
        get
        {
            var items = Items();
            return items[ContainerIndex.Normalize(index, items.Count)];
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var items = Items();
            register_parameter(ContainerIndex.Normalize(index, items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }

    public ParameterList append(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        register_parameter(Count.ToString(System.Globalization.CultureInfo.InvariantCulture), parameter);
        return this;
    }

    public ParameterList extend(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var p in parameters.ToList()) append(p);
        return this;
    }

    public override string extra_repr() => string.Join("\n", Items().Select((p, i) =>
        $"({i}): Parameter containing: [{p.dtype.TorchName()} of size {string.Join("x", p.shape)}]"));

    public IEnumerator<Parameter> GetEnumerator() => Items().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
