using System.Collections;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// One parameter's optimizer state (PyTorch's <c>optimizer.state[p]</c>): named buffers such as
/// <c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c> and the <c>step</c> counter. The
/// optimizer owns these tensors (no dispose scope does) and frees them when it is disposed.
/// </summary>
public sealed class ParamState : IReadOnlyDictionary<string, Tensor>
{
    private readonly Dictionary<string, Tensor> buffers = new();
    private readonly List<string> order = new();

    internal ParamState() { }

    public Tensor this[string key] => buffers.TryGetValue(key, out var t) ? t
        : throw new KeyNotFoundException($"this parameter's optimizer state has no '{key}'" +
            (order.Count > 0 ? $"; it has {string.Join(", ", order)}" : "; it is empty"));

    public IEnumerable<string> Keys => order;
    public IEnumerable<Tensor> Values => order.Select(k => buffers[k]);
    public int Count => order.Count;
    public bool ContainsKey(string key) => buffers.ContainsKey(key);
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => buffers.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        order.Select(k => new KeyValuePair<string, Tensor>(k, buffers[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The buffer <paramref name="key"/>, created by <paramref name="create"/> when absent.</summary>
    internal Tensor GetOrCreate(string key, Func<Tensor> create) =>
        buffers.TryGetValue(key, out var t) ? t : Add(key, create());

    /// <summary>Stores <paramref name="tensor"/> under <paramref name="key"/>, taking it out of its dispose scope.</summary>
    internal Tensor Add(string key, Tensor tensor)
    {
        tensor.DetachFromDisposeScope();
        if (buffers.TryGetValue(key, out var old)) old.Dispose();
        else order.Add(key);
        buffers[key] = tensor;
        return tensor;
    }

    internal void DisposeAll()
    {
        foreach (var t in buffers.Values) t.Dispose();
        buffers.Clear();
        order.Clear();
    }
}
