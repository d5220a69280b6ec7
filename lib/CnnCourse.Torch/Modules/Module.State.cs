namespace CnnCourse.Torch.Modules;

// state_dict / load_state_dict and moving or converting the module's tensors in place.
public abstract partial class Module
{
    /// <summary>
    /// Every parameter and persistent buffer under PyTorch's key: for each module its parameters,
    /// then its persistent buffers, then its children's entries (<c>conv1.weight</c>,
    /// <c>bn1.running_mean</c>, <c>bn1.num_batches_tracked</c>, <c>layer1.0.conv1.weight</c>).
    /// The values are the module's own tensors, not copies (as in PyTorch): clone them to keep a
    /// snapshot, and do not dispose them.
    /// </summary>
    public OrderedDictionary<string, Tensor> state_dict(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var result = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        AddState(result, prefix, new HashSet<Module>(ReferenceEqualityComparer.Instance));
        return result;
    }

    private void AddState(OrderedDictionary<string, Tensor> destination, string prefix, HashSet<Module> path)
    {
        if (!path.Add(this)) throw CycleError(nameof(state_dict));
        foreach (var (name, p) in LocalParameters()) destination[prefix + name] = p;
        foreach (var (name, b, persistent) in LocalBuffers())
            if (persistent) destination[prefix + name] = b;
        foreach (var (name, child) in LocalChildren()) child.AddState(destination, prefix + name + ".", path);
        path.Remove(this);
    }

    /// <summary>
    /// Copies values from <paramref name="state_dict"/> into this module's parameters and
    /// persistent buffers, in place, without recording gradients (dtypes are converted as by
    /// <c>copy_</c>). A shape mismatch is always an error; with <paramref name="strict"/> (the
    /// default) missing and unexpected keys are too. The check is made before anything is copied,
    /// so a failed load leaves the module unchanged.
    /// </summary>
    /// <exception cref="StateDictException">listing every missing key, unexpected key and shape mismatch.</exception>
    public IncompatibleKeys load_state_dict(IEnumerable<KeyValuePair<string, Tensor>> state_dict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state_dict);
        var source = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var sourceOrder = new List<string>();
        foreach (var (key, value) in state_dict)
        {
            if (key is null) throw new ArgumentException("load_state_dict: the state dict has a null key", nameof(state_dict));
            if (value is null) throw new ArgumentException($"load_state_dict: the value of \"{key}\" is null", nameof(state_dict));
            if (!source.TryAdd(key, value)) throw new ArgumentException($"load_state_dict: the key \"{key}\" appears twice", nameof(state_dict));
            sourceOrder.Add(key);
        }

        var target = this.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = sourceOrder.Where(k => !target.ContainsKey(k)).ToList();
        var mismatches = new List<string>();
        foreach (var (key, destination) in target)
        {
            if (!source.TryGetValue(key, out var value)) continue;
            var expected = destination.shape;
            var actual = value.shape;
            if (!expected.SequenceEqual(actual))
                mismatches.Add($"size mismatch for {key}: copying a param with shape {Shape(actual)} from checkpoint, the shape in current model is {Shape(expected)}.");
        }
        if (mismatches.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictException(GetName(), strict ? missing : [], strict ? unexpected : [], mismatches);

        using (torch.no_grad())
            foreach (var (key, destination) in target)
                if (source.TryGetValue(key, out var value))
                    destination.copy_(value);
        return new IncompatibleKeys(missing, unexpected);
    }

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>
    /// Replaces the data of every parameter (and its gradient) and every buffer by
    /// <paramref name="convert"/>'s result, keeping the same tensor objects, so optimizers and
    /// fields holding them stay valid (PyTorch's <c>param.data = fn(param)</c>). convert returns
    /// null to leave a tensor alone.
    /// </summary>
    internal void ApplyData(Func<Tensor, Tensor?> convert)
    {
        using var noGrad = torch.no_grad();
        foreach (var p in parameters())
        {
            Replace(p, convert);
            using var g = p.grad;
            if (g is not null) Replace(g, convert);
        }
        foreach (var b in buffers()) Replace(b, convert);
    }

    private static void Replace(Tensor tensor, Func<Tensor, Tensor?> convert)
    {
        var converted = convert(tensor);
        if (converted is null || ReferenceEquals(converted, tensor)) return;
        try
        {
            tensor.SetData(converted);
        }
        finally
        {
            converted.Dispose();
        }
    }

    internal void MoveTo(ScalarType? dtype, Device? device)
    {
        if (dtype is { } d && !d.IsFloatingPoint())
            throw new ArgumentException($"to: a module's dtype must be a floating-point type, not {d.TorchName()}", nameof(dtype));
        ApplyData(t =>
        {
            var type = dtype is { } target && t.dtype.IsFloatingPoint() ? target : t.dtype;
            var place = device ?? t.device;
            return type == t.dtype && place == t.device ? null : t.to(type, place);
        });
    }

    /// <summary>
    /// Re-lays 4-D parameters and buffers out in <paramref name="format"/> as PyTorch's
    /// module.to(memory_format=...) does, through tensor.to(memory_format). Not by is_contiguous: a
    /// weight with one input channel or a 1×1 kernel counts as contiguous in both formats, but
    /// oneDNN reads the layout from the strides, and left in NCHW strides such a convolution takes
    /// a much slower path under bf16.
    /// </summary>
    internal void ToMemoryFormat(MemoryFormat format) => ApplyData(t => t.dim() == 4 ? t.to(format) : null);
}

/// <summary>The keys <see cref="Module.load_state_dict"/> did not match (empty lists: all matched).</summary>
public sealed record IncompatibleKeys(IReadOnlyList<string> missing_keys, IReadOnlyList<string> unexpected_keys)
{
    public override string ToString() => missing_keys.Count == 0 && unexpected_keys.Count == 0
        ? "<All keys matched successfully>"
        : $"IncompatibleKeys(missing_keys=[{string.Join(", ", missing_keys.Select(k => $"'{k}'"))}], unexpected_keys=[{string.Join(", ", unexpected_keys.Select(k => $"'{k}'"))}])";
}

/// <summary>
/// A state dict that does not fit a module: the message lists every problem, as PyTorch's
/// "Error(s) in loading state_dict for ResNet: ...".
/// </summary>
public sealed class StateDictException : ArgumentException
{
    public StateDictException(string moduleName, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<string> shapeMismatches)
        : base(Describe(moduleName, missingKeys, unexpectedKeys, shapeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    public IReadOnlyList<string> MissingKeys { get; }
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>One line per key whose shape differs: "size mismatch for fc.weight: ...".</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string Describe(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatches)
    {
        var lines = new List<string>();
        static string Keys(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"\"{k}\""));
        if (missing.Count > 0) lines.Add($"Missing key(s) in state_dict: {Keys(missing)}.");
        if (unexpected.Count > 0) lines.Add($"Unexpected key(s) in state_dict: {Keys(unexpected)}.");
        lines.AddRange(mismatches);
        return $"Error(s) in loading state_dict for {moduleName}:\n\t" + string.Join("\n\t", lines);
    }
}
