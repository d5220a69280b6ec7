using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>
/// Records the outputs (feature maps) of named layers whenever the model runs, through forward
/// hooks; disposing it removes the hooks and frees what it holds.
/// <code>
/// using var features = new FeatureExtractor(net, "features.0", "features.3");
/// net.call(X);                               // any forward pass: Run, a Trainer step, …
/// var maps = features["features.0"];         // (N, 64, 224, 224), detached
/// </code>
/// Each capture is a detached copy: it keeps no autograd graph, and a later in-place layer
/// (ReLU(inplace: true)) cannot change it. The extractor owns the copies; the next forward pass
/// replaces them (the previous ones are disposed), so clone a map to keep it longer. For one
/// pass, <see cref="Capture"/> is shorter and hands the maps to the caller.
/// Layers are captured through TorchSharp's forward hooks, so the layer must be a one-tensor module
/// (<c>nn.Module&lt;Tensor, Tensor&gt;</c>) that its parent runs with <c>call</c>, as Sequential and
/// the course's models do. An unknown name raises an <see cref="ArgumentException"/> that lists the
/// names beside it.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly string[] names;
    private readonly Dictionary<string, Tensor> captured = new(StringComparer.Ordinal);
    private readonly List<Action> removers = [];
    private bool disposed;

    /// <summary>
    /// Captures the outputs of the modules at <paramref name="layerNames"/> (paths as in named_modules(): "layer1", "features.3"; "" is the model's
    /// own output).
    /// </summary>
    public FeatureExtractor(nn.Module<Tensor, Tensor> model, params string[] layerNames)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layerNames);
        if (layerNames.Length == 0) throw new ArgumentException("FeatureExtractor: name at least " +
            "one layer (a path such as \"features.3\" or \"layer1.0.conv1\")", nameof(layerNames));
        this.model = model;
        names = layerNames.Distinct(StringComparer.Ordinal).ToArray();
        var modules = Resolve(model, names, nameof(layerNames));
        try
        {
            for (int i = 0; i < names.Length; i++)
            {
                var name = names[i];
                if (modules[i] is not nn.Module<Tensor, Tensor> layer)
                    throw new ArgumentException(
                        $"FeatureExtractor: '{name}' is a {Summary.Type(modules[i])}, whose forward does not take one tensor and return one; " +
                        "forward hooks see only such layers: name a layer inside it", nameof(layerNames));
                removers.Add(layer.register_forward_hook((m, x, y) =>
                {
                    Store(name, y);
                    return null!; // the output unchanged
                }).remove);
            }
        }
        catch
        {
            foreach (var remove in removers) remove();
            throw;
        }
    }

    /// <summary>The names of the captured layers, in the order given.</summary>
    public IReadOnlyList<string> LayerNames => names;

    /// <summary>The last output of the layer at <paramref name="name"/>.</summary>
    public Tensor this[string name]
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            ArgumentNullException.ThrowIfNull(name);
            if (captured.TryGetValue(name, out var t)) return t;
            if (!names.Contains(name, StringComparer.Ordinal))
                throw new KeyNotFoundException($"FeatureExtractor: '{name}' is not one of the " +
                    $"captured layers ({string.Join(", ", names.Select(n => $"'{n}'"))})");
            throw new InvalidOperationException($"FeatureExtractor: layer '{name}' has not run since the " +
                $"extractor was created; run the model first (or the layer is not used by its forward pass)");
        }
    }

    /// <summary>The last output of the layer at <paramref name="name"/>, if it has run.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Tensor? features)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return captured.TryGetValue(name, out features);
    }

    /// <summary>The layers captured so far with their last outputs, in the order given to the constructor.</summary>
    public IReadOnlyDictionary<string, Tensor> Features
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var n in names)
                if (captured.TryGetValue(n, out var t)) result[n] = t;
            return result;
        }
    }

    /// <summary>
    /// Runs the model on <paramref name="input"/> in evaluation mode under no_grad (its modes are restored) and returns the captures (owned by this
    /// extractor).
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Run(Tensor input)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(input);
        Clear();
        using (new InferenceMode(model))
        using (torch.NewDisposeScope())
            model.call(input);
        return Features;
    }

    /// <summary>Frees the captured tensors (the hooks stay).</summary>
    public void Clear()
    {
        foreach (var t in captured.Values) t.Dispose();
        captured.Clear();
    }

    /// <summary>Removes the hooks and frees the captured tensors.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var remove in removers) remove();
        removers.Clear();
        Clear();
    }

    private void Store(string name, Tensor output)
    {
        var copy = DetachedCopy(output);
        if (captured.Remove(name, out var previous)) previous.Dispose();
        captured[name] = copy;
    }

    // A copy with no graph that belongs to no dispose scope (the hook runs inside the model's scopes).
    private static Tensor DetachedCopy(Tensor output)
    {
        using var detached = output.detach();
        return detached.clone().DetachFromDisposeScope();
    }

    /// <summary>The modules at <paramref name="names"/>, or an error naming the first missing one and listing the model's modules.</summary>
    internal static nn.Module[] Resolve(nn.Module model, IReadOnlyList<string> names, string argument)
    {
        var modules = ModuleTree.Walk(model).ToDictionary(m => m.Name, m => m.Module, StringComparer.Ordinal);
        var result = new nn.Module[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            var name = names[i] ?? throw new ArgumentNullException(argument, "a layer name is null");
            if (modules.TryGetValue(name, out var m))
            {
                result[i] = m;
                continue;
            }
            // The names beside the missing one (its siblings, when its parent exists), else the top-level ones.
            int dot = name.LastIndexOf('.');
            var parent = dot < 0 ? "" : name[..dot];
            if (!modules.ContainsKey(parent)) parent = "";
            var siblings = modules.Keys.Where(k => k.Length > 0 && (parent.Length == 0
                ? !k.Contains('.')
                : k.StartsWith(parent + ".", StringComparison.Ordinal) && !k[(parent.Length + 1)..].Contains('.'))).ToList();
            var listed = siblings.Take(20).Select(k => $"'{k}'");
            throw new ArgumentException(
                $"{Summary.Type(model)} has no module named '{name}'. {(parent.Length > 0 ? $"The modules in '{parent}'" : "Its top-level modules")}: " +
                    $"{string.Join(", ", listed)}{(siblings.Count > 20 ? ", …" : "")} " +
                "(names are paths as in named_modules(), e.g. \"layer1.0.conv1\")", argument);
        }
        return result;
    }

    /// <summary>
    /// Runs <paramref name="model"/> once on <paramref name="input"/> (evaluation mode, no_grad, modes
    /// restored) and returns the outputs of the layers at <paramref name="layerNames"/>: detached
    /// copies that belong to the caller's dispose scope (or to the caller, outside any scope).
    /// </summary>
    public static Dictionary<string, Tensor> Capture(nn.Module<Tensor, Tensor> model, Tensor input, params string[] layerNames)
    {
        using var extractor = new FeatureExtractor(model, layerNames);
        extractor.Run(input);
        var missing = extractor.names.Where(n => !extractor.captured.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"FeatureExtractor.Capture: {string.Join(", ", missing.Select(n => $"'{n}'"))} did not run in the forward pass of {Summary.Type(model)} " +
                "(a layer used only in training, or one that forward() does not call)");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in extractor.names)
        {
            // A new handle on the same memory, made here, belongs to the caller's current dispose scope.
            extractor.captured.Remove(name, out var t);
            using (t) result[name] = t!.alias();
        }
        return result;
    }
}
