using System.Globalization;
using System.Text.Json.Nodes;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// An optimizer's state as PyTorch structures it (<c>{"state": {index: {name: tensor}},
/// "param_groups": [{..., "params": [indices]}]}</c>), made to be saved: <see cref="ToTensors"/>
/// gives the tensors under flat names (<c>state.3.exp_avg</c>, ready for safetensors) and
/// <see cref="ToJson"/> the hyper-parameters; <see cref="FromParts"/> puts them back together.
/// Disposing it disposes the tensors it holds.
/// </summary>
public sealed class OptimizerStateDict : IDisposable
{
    /// <summary>One parameter group: the indices of its parameters and its hyper-parameters.</summary>
    public sealed record ParamGroupState(IReadOnlyList<int> @params, IReadOnlyDictionary<string, object> options)
    {
        /// <summary>A hyper-parameter by PyTorch's name (double, bool, or (double, double) for betas).</summary>
        public object this[string key] => options[key];
    }

    public OptimizerStateDict(IReadOnlyDictionary<int, IReadOnlyDictionary<string, Tensor>> state, IReadOnlyList<ParamGroupState> param_groups)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(param_groups);
        this.state = state;
        this.param_groups = param_groups;
    }

    /// <summary>Per-parameter state by parameter index (counted across groups in order).</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, Tensor>> state { get; }

    public IReadOnlyList<ParamGroupState> param_groups { get; }

    /// <summary>
    /// The state tensors by flat name, <c>{prefix}state.{index}.{name}</c> (the tensors themselves,
    /// not copies).
    /// </summary>
    public Dictionary<string, Tensor> ToTensors(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var result = new Dictionary<string, Tensor>();
        foreach (var (i, buffers) in state)
            foreach (var (name, t) in buffers)
                result[$"{prefix}state.{i.ToString(CultureInfo.InvariantCulture)}.{name}"] = t;
        return result;
    }

    /// <summary>
    /// The non-tensor part as JSON: the parameter groups (hyper-parameters and parameter
    /// indices, PyTorch's names) and the names of each parameter's state tensors.
    /// </summary>
    public string ToJson()
    {
        var groupsJson = new JsonArray();
        foreach (var g in param_groups)
        {
            var o = new JsonObject();
            foreach (var (key, value) in g.options)
                o[key] = value switch
                {
                    double d => StateJson.Number(d),
                    bool b => JsonValue.Create(b),
                    ValueTuple<double, double> t => new JsonArray(StateJson.Number(t.Item1), StateJson.Number(t.Item2)),
                    _ => throw new InvalidOperationException($"parameter group value '{key}' has an unsupported type {value.GetType().Name}"),
                };
            o["params"] = new JsonArray(g.@params.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
            groupsJson.Add(o);
        }
        var stateJson = new JsonObject();
        foreach (var (i, buffers) in state)
            stateJson[i.ToString(CultureInfo.InvariantCulture)] = new JsonArray(buffers.Keys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
        var root = new JsonObject
        {
            ["format"] = Format,
            ["param_groups"] = groupsJson,
            ["state"] = stateJson,
        };
        return root.ToJsonString();
    }

    /// <summary>
    /// Rebuilds a state dict from <see cref="ToJson"/>'s text and <see cref="ToTensors"/>'s
    /// tensors (only names starting with <c>{prefix}state.</c> are read). The result holds the
    /// given tensors themselves. Throws ArgumentException when a tensor is missing or unexpected.
    /// </summary>
    public static OptimizerStateDict FromParts(string json, IReadOnlyDictionary<string, Tensor> tensors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(prefix);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("optimizer state JSON is not an object", nameof(json));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"optimizer state JSON is malformed: {e.Message}", nameof(json), e);
        }
        if (root["format"]?.GetValue<string>() != Format)
            throw new ArgumentException($"optimizer state JSON has format '{root["format"]}', expected '{Format}'", nameof(json));

        var groups = new List<ParamGroupState>();
        foreach (var node in root["param_groups"] as JsonArray ?? throw new ArgumentException("optimizer state JSON has no param_groups", nameof(json)))
        {
            if (node is not JsonObject o) throw new ArgumentException("a parameter group in the optimizer state JSON is not an object", nameof(json));
            var ids = new List<int>();
            var options = new Dictionary<string, object>();
            foreach (var (key, value) in o)
            {
                if (key == "params")
                {
                    foreach (var id in value as JsonArray ?? throw new ArgumentException("'params' is not a list", nameof(json)))
                        ids.Add(id?.GetValue<int>() ?? throw new ArgumentException("'params' holds a null", nameof(json)));
                    continue;
                }
                options[key] = value switch
                {
                    JsonArray { Count: 2 } pair => (StateJson.ToDouble(pair[0], key), StateJson.ToDouble(pair[1], key)),
                    JsonValue v when v.TryGetValue<bool>(out var b) => b,
                    _ => StateJson.ToDouble(value, key),
                };
            }
            groups.Add(new ParamGroupState(ids, options));
        }

        var state = new SortedDictionary<int, IReadOnlyDictionary<string, Tensor>>();
        var expected = new HashSet<string>();
        foreach (var (index, names) in root["state"] as JsonObject ?? throw new ArgumentException("optimizer state JSON has no state", nameof(json)))
        {
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                throw new ArgumentException($"optimizer state key '{index}' is not a parameter index", nameof(json));
            var buffers = new Dictionary<string, Tensor>();
            foreach (var n in names as JsonArray ?? throw new ArgumentException($"state '{index}' is not a list of names", nameof(json)))
            {
                string name = n?.GetValue<string>() ?? throw new ArgumentException($"state '{index}' holds a null name", nameof(json));
                string key = $"{prefix}state.{index}.{name}";
                buffers[name] = tensors.TryGetValue(key, out var t) ? t
                    : throw new ArgumentException($"optimizer state tensor '{key}' is missing", nameof(tensors));
                expected.Add(key);
            }
            state[i] = buffers;
        }
        foreach (var key in tensors.Keys)
            if (key.StartsWith(prefix + "state.", StringComparison.Ordinal) && !expected.Contains(key))
                throw new ArgumentException($"optimizer state tensor '{key}' is not described by the JSON", nameof(tensors));
        return new OptimizerStateDict(state, groups);
    }

    /// <summary>Disposes every tensor this state dict holds.</summary>
    public void Dispose()
    {
        foreach (var buffers in state.Values)
            foreach (var t in buffers.Values) t.Dispose();
    }

    private const string Format = "cnncourse.optimizer/1";
}
