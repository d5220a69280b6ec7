using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace CnnCourse.Torch.Modules;

// Discovery of parameters, buffers and children from fields and registrations, and the queries
// built on it (named_parameters, named_modules, …).
public abstract partial class Module
{
    private enum FieldKind
    {
        Module,            // a child (or null: an optional layer that is absent)
        Tensor,            // a Parameter, a field-held buffer, or a plain tensor (ignored)
        ModuleCollection,  // modules or parameters in a plain collection: always an error
        TensorCollection,  // tensors or objects in a plain collection: an error when one is a Parameter or Module
    }

    private sealed record FieldPlan(FieldInfo Field, string Name, FieldKind Kind);

    private sealed record TypePlan(FieldPlan[] Fields, Dictionary<string, FieldPlan> ByName, string? Error);

    private static readonly ConcurrentDictionary<Type, TypePlan> plans = new();

    private TypePlan Plan() => plans.GetOrAdd(GetType(), BuildPlan);

    // Fields of every class between Module and the concrete type, base classes first, each class's
    // in declaration order (metadata tokens follow the source order).
    private static TypePlan BuildPlan(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(Module); t = t.BaseType) chain.Add(t);
        chain.Reverse();
        var fields = new List<FieldPlan>();
        var byName = new Dictionary<string, FieldPlan>(StringComparer.Ordinal);
        string? error = null;
        foreach (var t in chain)
        {
            var declared = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .OrderBy(f => f.MetadataToken);
            foreach (var field in declared)
            {
                if (Classify(field.FieldType) is not { } kind) continue;
                var name = MemberName(field);
                if (IsUnregistered(field, name, t)) continue;
                var plan = new FieldPlan(field, name, kind);
                if (!byName.TryAdd(name, plan))
                {
                    error ??= $"{type.Name} has two fields named '{name}' (in {byName[name].Field.DeclaringType!.Name} and {t.Name}); their state-dict keys would collide. Rename one.";
                    continue;
                }
                fields.Add(plan);
            }
        }
        return new TypePlan(fields.ToArray(), byName, error);
    }

    private static FieldKind? Classify(Type type)
    {
        if (typeof(Module).IsAssignableFrom(type)) return FieldKind.Module;
        if (typeof(Tensor).IsAssignableFrom(type)) return FieldKind.Tensor;
        if (type == typeof(string)) return null;
        if (!typeof(IEnumerable).IsAssignableFrom(type)) return null;
        var elements = ElementTypes(type).ToList();
        if (elements.Any(e => typeof(Module).IsAssignableFrom(e) || typeof(Parameter).IsAssignableFrom(e)))
            return FieldKind.ModuleCollection;
        if (elements.Any(e => e.IsAssignableFrom(typeof(Parameter)) || e.IsAssignableFrom(typeof(Module))))
            return FieldKind.TensorCollection;
        return null;
    }

    // The element types a collection type can hold, looking into arrays of arrays, dictionary
    // values and tuples.
    private static IEnumerable<Type> ElementTypes(Type type, int depth = 0)
    {
        if (depth > 4) yield break;
        var direct = new List<Type>();
        if (type.IsArray) direct.Add(type.GetElementType()!);
        foreach (var i in type.GetInterfaces().Append(type))
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                direct.Add(i.GetGenericArguments()[0]);
        foreach (var element in direct.Distinct())
        {
            yield return element;
            if (element.IsGenericType && (element.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ||
                                          element.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true ||
                                          element.FullName?.StartsWith("System.Tuple`", StringComparison.Ordinal) == true))
                foreach (var part in element.GetGenericArguments()) yield return part;
            if (element != typeof(string) && typeof(IEnumerable).IsAssignableFrom(element))
                foreach (var inner in ElementTypes(element, depth + 1)) yield return inner;
        }
    }

    // "<conv1>k__BackingField" (an auto-property) and "<inner>P" (a primary-constructor parameter)
    // are named as the source names them.
    private static string MemberName(FieldInfo field)
    {
        var name = field.Name;
        if (name.StartsWith('<'))
        {
            int end = name.IndexOf('>');
            if (end > 1) return name[1..end];
        }
        return name;
    }

    private static bool IsUnregistered(FieldInfo field, string name, Type declaring)
    {
        if (field.IsDefined(typeof(UnregisteredAttribute), inherit: false)) return true;
        if (field.Name == name) return false;
        var property = declaring.GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
        return property?.IsDefined(typeof(UnregisteredAttribute), inherit: false) == true;
    }

    private InvalidOperationException CollectionError(FieldPlan field, string what) => new(
        $"{GetName()}.{field.Name} is a field of type {TypeName(field.Field.FieldType)} holding {what}. Modules and parameters kept in " +
        "an array, a List or another collection are not registered: they would not train, move with to(), or be saved in the " +
        $"state dict. Use torch.nn.ModuleList (or Sequential, ModuleDict) for modules and torch.nn.ParameterList for parameters; " +
        "mark the field [Unregistered] if it only refers to modules owned elsewhere.");

    private static string TypeName(Type type)
    {
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        if (!type.IsGenericType) return type.Name;
        var name = type.Name;
        int tick = name.IndexOf('`');
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    // Raises the errors of the fields' declarations: a field of modules in a plain collection,
    // or a collection of tensors that holds a Parameter.
    private void CheckFields(TypePlan plan)
    {
        if (plan.Error is not null) throw new InvalidOperationException(plan.Error);
        foreach (var field in plan.Fields)
        {
            if (field.Kind == FieldKind.ModuleCollection)
            {
                if (field.Field.GetValue(this) is Module) continue; // e.g. a field typed IEnumerable<Module> holding a Sequential
                throw CollectionError(field, "modules or parameters");
            }
            if (field.Kind == FieldKind.TensorCollection && field.Field.GetValue(this) is ICollection items && Contains(items))
                throw CollectionError(field, "a Parameter or Module");
        }

        // Only materialized collections are searched (enumerating a lazy sequence could run anything).
        static bool Contains(ICollection items)
        {
            foreach (var item in items)
            {
                if (item is Parameter or Module) return true;
                if (item is System.Runtime.CompilerServices.ITuple tuple)
                {
                    for (int i = 0; i < tuple.Length; i++)
                        if (tuple[i] is Parameter or Module) return true;
                }
                else if (item?.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) &&
                         t.GetProperty("Value")!.GetValue(item) is Parameter or Module)
                    return true;
                if (item is ICollection inner && Contains(inner)) return true;
            }
            return false;
        }
    }

    // ---- this module's own members (not recursive) -------------------------------------------

    private protected List<(string name, Module module)> LocalChildren(bool lenient = false)
    {
        var plan = Plan();
        if (!lenient) CheckFields(plan);
        var result = new List<(string, Module)>();
        foreach (var field in plan.Fields)
            if (field.Kind is FieldKind.Module or FieldKind.ModuleCollection && field.Field.GetValue(this) is Module m)
                result.Add((field.Name, m));
        foreach (var (name, m) in registeredModules)
            if (m is not null) result.Add((name, m));
        return result;
    }

    private List<(string name, Parameter parameter)> LocalParameters(bool lenient = false)
    {
        var plan = Plan();
        if (!lenient) CheckFields(plan);
        var result = new List<(string, Parameter)>();
        foreach (var field in plan.Fields)
        {
            if (field.Kind != FieldKind.Tensor || field.Field.GetValue(this) is not Parameter p) continue;
            if (registeredBuffers.ContainsKey(field.Name))
            {
                if (lenient) continue;
                throw new InvalidOperationException($"{GetName()}.{field.Name} was registered as a buffer but now holds a Parameter; a name is either a buffer or a parameter");
            }
            result.Add((field.Name, p));
        }
        foreach (var (name, p) in registeredParameters)
            if (p is not null) result.Add((name, p));
        return result;
    }

    private List<(string name, Tensor buffer, bool persistent)> LocalBuffers(bool lenient = false)
    {
        var plan = Plan();
        if (!lenient) CheckFields(plan);
        var result = new List<(string, Tensor, bool)>();
        foreach (var (name, stored) in registeredBuffers)
        {
            var value = plan.ByName.TryGetValue(name, out var field) ? field.Field.GetValue(this) as Tensor : stored;
            if (value is null or Parameter) continue;
            result.Add((name, value, !nonPersistentBuffers.Contains(name)));
        }
        return result;
    }

    // Writes a new value into the buffer called name (its field too, if it has one).
    private void SetBuffer(string name, Tensor value)
    {
        if (Plan().ByName.TryGetValue(name, out var field)) field.Field.SetValue(this, value);
        registeredBuffers[name] = value;
    }

    // ---- queries ----------------------------------------------------------------------------

    /// <summary>The direct children with their names (fields first, in declaration order, then registered ones).</summary>
    public IEnumerable<(string name, Module module)> named_children()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return LocalChildren().Where(c => seen.Add(c.module)).ToList();
    }

    public IEnumerable<Module> children() => named_children().Select(c => c.module).ToList();

    /// <summary>
    /// This module (named "") and every descendant, depth first, each once, named by its path:
    /// <c>layer1</c>, <c>layer1.0</c>, <c>layer1.0.conv1</c>.
    /// </summary>
    public IEnumerable<(string name, Module module)> named_modules()
    {
        var result = new List<(string, Module)>();
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var path = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        void Walk(Module module, string prefix)
        {
            if (path.Contains(module)) throw module.CycleError(nameof(named_modules));
            if (!seen.Add(module)) return;
            result.Add((prefix, module));
            path.Add(module);
            foreach (var (name, child) in module.LocalChildren())
                Walk(child, prefix.Length == 0 ? name : prefix + "." + name);
            path.Remove(module);
        }
        Walk(this, "");
        return result;
    }

    public IEnumerable<Module> modules() => named_modules().Select(m => m.module).ToList();

    /// <summary>
    /// The parameters with their state-dict names (<c>conv1.weight</c>), each once even if shared;
    /// only this module's own when <paramref name="recurse"/> is false.
    /// </summary>
    public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
    {
        var result = new List<(string, Parameter)>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in recurse ? named_modules() : new[] { ("", this) })
            foreach (var (name, p) in module.LocalParameters())
                if (seen.Add(p)) result.Add((Join(prefix, name), p));
        return result;
    }

    public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter).ToList();

    /// <summary>The buffers (persistent or not) with their names (<c>bn1.running_mean</c>), each once.</summary>
    public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
    {
        var result = new List<(string, Tensor)>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in recurse ? named_modules() : new[] { ("", this) })
            foreach (var (name, b, _) in module.LocalBuffers())
                if (seen.Add(b)) result.Add((Join(prefix, name), b));
        return result;
    }

    public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer).ToList();

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>The descendant at a dotted path (<c>"layer1.0.conv1"</c>); "" is this module.</summary>
    public Module get_submodule(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var module = this;
        if (target.Length == 0) return module;
        foreach (var part in target.Split('.'))
        {
            var next = module.LocalChildren().FirstOrDefault(c => c.name == part).module;
            module = next ?? throw new ArgumentException($"get_submodule: {module.GetName()} has no submodule named '{part}' (in '{target}')", nameof(target));
        }
        return module;
    }

    /// <summary>The parameter at a dotted path (<c>"fc.weight"</c>).</summary>
    public Parameter get_parameter(string target)
    {
        var (module, name) = Split(target);
        return module.LocalParameters().FirstOrDefault(p => p.name == name).parameter
            ?? throw new ArgumentException($"get_parameter: {module.GetName()} has no parameter named '{name}' (in '{target}')", nameof(target));
    }

    /// <summary>The buffer at a dotted path (<c>"bn1.running_mean"</c>).</summary>
    public Tensor get_buffer(string target)
    {
        var (module, name) = Split(target);
        return module.LocalBuffers().FirstOrDefault(b => b.name == name).buffer
            ?? throw new ArgumentException($"get_buffer: {module.GetName()} has no buffer named '{name}' (in '{target}')", nameof(target));
    }

    private (Module module, string name) Split(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        int dot = target.LastIndexOf('.');
        return dot < 0 ? (this, target) : (get_submodule(target[..dot]), target[(dot + 1)..]);
    }
}
