namespace CnnCourse.Torch.Modules;

/// <summary>
/// Modules applied one after another: <c>forward(x)</c> is <c>m_n(… m_1(x))</c>. Children are
/// named "0", "1", … unless named explicitly; <c>features.0.weight</c> is the first layer's weight.
/// </summary>
public class Sequential : Module, IReadOnlyList<Module>
{
    public Sequential() { }

    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) append(m);
    }

    /// <summary>Children with given names (PyTorch's <c>Sequential(OrderedDict(...))</c>).</summary>
    public Sequential(params (string name, Module module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, m) in modules) append(name, m);
    }

    public Sequential(IEnumerable<(string name, Module module)> modules) : this(modules?.ToArray()!) { }

    /// <summary>Adds <paramref name="module"/> at the end, named by its position; returns this.</summary>
    public Sequential append(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        register_module(Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        return this;
    }

    /// <summary>Adds <paramref name="module"/> at the end under <paramref name="name"/>; returns this.</summary>
    public Sequential append(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (RegisteredModule(name) is not null)
            throw new ArgumentException($"append: Sequential already has a module named '{name}'", nameof(name));
        register_module(name, module);
        return this;
    }

    /// <summary>Adds every module of <paramref name="modules"/> at the end; returns this.</summary>
    public Sequential extend(IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules.ToList()) append(m);
        return this;
    }

    public int Count => Items().Count;

    /// <summary>The module at <paramref name="index"/> (negative counts from the end, as in Python).</summary>
    public Module this[int index] => Items()[ContainerIndex.Normalize(index, Count)].module;

    /// <summary>The child called <paramref name="name"/>.</summary>
    public Module this[string name] =>
        RegisteredModule(name) ?? throw new KeyNotFoundException($"Sequential has no module named '{name}'");

    /// <summary>A new Sequential holding the same modules (not copies) under the same names.</summary>
    public Sequential this[Range range]
    {
        get
        {
            var items = Items();
            var (offset, length) = range.GetOffsetAndLength(items.Count);
            return new Sequential(items.Skip(offset).Take(length).ToArray());
        }
    }

    private List<(string name, Module module)> Items() => LocalChildren();

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var (_, module) in Items()) x = module.call(x);
        return x;
    }

    public IEnumerator<Module> GetEnumerator() => Items().Select(i => i.module).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

internal static class ContainerIndex
{
    internal static int Normalize(int index, int count)
    {
        int i = index < 0 ? index + count : index;
        if (i < 0 || i >= count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index {index} is out of range for a container of {count}");
        return i;
    }
}
