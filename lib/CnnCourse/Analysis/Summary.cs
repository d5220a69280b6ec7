using CnnCourse.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>
/// A model's layer tree after one forward pass, as torchinfo's <c>summary(model, input_size)</c>:
/// each module's output shape, parameters and multiply-accumulates, and the totals (parameters,
/// MACs and FLOPs, parameter and activation memory).
/// <code>
/// var summary = Summary.Of(net, 1, 3, 224, 224);   // shows itself in a notebook
/// Console.WriteLine(summary);                       // the same as plain text
/// summary.TotalMacs                                 // 4_089_184_256 for resnet50
/// summary.Row("layer1.0.conv1").OutputShape         // [1, 64, 56, 56]
/// </code>
/// The forward pass runs in evaluation mode under no_grad on a zero input of the model's device and
/// dtype (it draws no random numbers); every module's training flag is restored afterwards.
/// Counts are for the whole input, batch included. What counts as a MAC is described on
/// <see cref="Macs"/>; only work done by modules is seen (a functional op called directly inside a
/// forward counts 0), because counting runs through TorchSharp's forward hooks: they fire when a
/// parent calls a layer with <c>layer.call(x)</c> (as Sequential and the course's models do), not
/// with <c>layer.forward(x)</c>, and only on modules of one tensor in, one tensor out
/// (<c>nn.Module&lt;Tensor, Tensor&gt;</c>); other modules are listed without shapes, their layers
/// inside still counted.
/// Bad input (a shape the model cannot take) raises an <see cref="ArgumentException"/> naming the
/// innermost layer that failed and its input shape, with libtorch's message.
/// </summary>
[TypeFormatterSource(typeof(SummaryFormatterSource), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed class Summary
{
    /// <summary>torchinfo's default display depth.</summary>
    public const int DefaultDepth = 3;

    private readonly Dictionary<string, SummaryRow> byName;

    private Summary(string modelName, IReadOnlyList<long> inputShape, ScalarType inputDtype, long inputBytes,
                    IReadOnlyList<long>? outputShape, IReadOnlyList<SummaryRow> rows, int depth,
                    IReadOnlyDictionary<ScalarType, long> parameterBytes, long bufferBytes, long activationBytes)
    {
        ModelName = modelName;
        InputShape = inputShape;
        InputDtype = inputDtype;
        InputBytes = inputBytes;
        OutputShape = outputShape;
        Rows = rows;
        Depth = depth;
        ParameterBytesByDtype = parameterBytes;
        BufferBytes = bufferBytes;
        ForwardActivationBytes = activationBytes;
        byName = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    // ---- creating ---------------------------------------------------------------------------

    /// <summary>The summary of <paramref name="model"/> for an input of <paramref name="inputShape"/> (batch included: 1, 3, 224, 224).</summary>
    public static Summary Of(nn.Module<Tensor, Tensor> model, params long[] inputShape) => Of(model, inputShape, DefaultDepth);

    /// <summary>
    /// The summary of <paramref name="model"/> for an input of <paramref name="inputShape"/> (batch
    /// included), showing modules down to <paramref name="depth"/> (0: the model alone; every
    /// total always covers the whole tree). The input has <paramref name="dtype"/>, by default the
    /// dtype of the model's first floating-point parameter (float32 if it has none), on the device
    /// of its first parameter.
    /// </summary>
    public static Summary Of(nn.Module<Tensor, Tensor> model, long[] inputShape, int depth = DefaultDepth, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0) throw new ArgumentException("Summary: the input shape is empty; give every dimension, batch included (e.g. 1, 3, 224, 224)",
            nameof(inputShape));
        if (inputShape.Any(d => d <= 0))
            throw new ArgumentException($"Summary: every dimension of the input shape must be positive, but got {Units.Shape(inputShape)}", nameof(inputShape));
        CheckDepth(depth);
        var first = model.parameters().FirstOrDefault(p => p.is_floating_point());
        var device = model.parameters().FirstOrDefault()?.device ?? torch.CPU;
        using var scope = torch.NewDisposeScope();
        var input = torch.zeros(inputShape, dtype: dtype ?? first?.dtype ?? ScalarType.Float32, device: device);
        return Build(model, input, depth, nameof(inputShape));
    }

    /// <summary>
    /// The summary of <paramref name="model"/> run on <paramref name="input"/> (a real batch, or an input of a dtype or device of your choice).
    /// </summary>
    public static Summary OfInput(nn.Module<Tensor, Tensor> model, Tensor input, int depth = DefaultDepth)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        CheckDepth(depth);
        return Build(model, input, depth, nameof(input));
    }

    private static void CheckDepth(int depth)
    {
        if (depth < 0) throw new ArgumentException($"Summary: depth must be 0 or more, but got {depth}", nameof(depth));
    }

    // One node per module of the tree (shared modules once, under their first name), filled by hooks.
    private sealed class Node(string name, nn.Module module, Node? parent)
    {
        public readonly string Name = name;
        public readonly nn.Module Module = module;
        public readonly Node? Parent = parent;
        public readonly int Depth = parent is null ? 0 : parent.Depth + 1;
        public readonly List<Node> Children = [];
        public int Calls;
        public long[]? Input;
        public long[]? Output;
        public long OutputBytes;
        public long Macs;
        public long AllOutputBytes;
        public long Parameters, Trainable;
        public long TotalParameters, TotalTrainable, TotalMacs;
    }

    private static Summary Build(nn.Module<Tensor, Tensor> model, Tensor input, int depth, string inputArgument)
    {
        var nodes = new List<Node>();
        var byPath = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var (name, module, parentName) in ModuleTree.Walk(model))
        {
            Node? parent = parentName is null ? null : byPath[parentName];
            var node = new Node(name, module, parent);
            parent?.Children.Add(node);
            nodes.Add(node);
            byPath[name] = node;
        }

        // Parameters: each counted once (by its native handle), for the first module (in tree order) that holds it.
        var seen = new HashSet<IntPtr>();
        var parameterBytes = new SortedDictionary<ScalarType, long>();
        long bufferBytes = 0;
        var bufferSeen = new HashSet<IntPtr>();
        foreach (var node in nodes)
        {
            foreach (var (_, p) in node.Module.named_parameters(recurse: false))
            {
                if (!seen.Add(p.Handle)) continue;
                long n = p.numel();
                node.Parameters += n;
                if (p.requires_grad) node.Trainable += n;
                parameterBytes[p.dtype] = parameterBytes.GetValueOrDefault(p.dtype) + n * p.element_size();
            }
            foreach (var (_, b) in node.Module.named_buffers(recurse: false))
                if (bufferSeen.Add(b.Handle)) bufferBytes += b.numel() * b.element_size();
        }

        RunForward(model, input, nodes, inputArgument, out var outputShape);

        long activationBytes = 0;
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            node.TotalParameters += node.Parameters;
            node.TotalTrainable += node.Trainable;
            node.TotalMacs += node.Macs;
            if (node.Children.Count == 0) activationBytes += node.AllOutputBytes;
            if (node.Parent is { } parent)
            {
                parent.TotalParameters += node.TotalParameters;
                parent.TotalTrainable += node.TotalTrainable;
                parent.TotalMacs += node.TotalMacs;
            }
        }

        var rows = nodes.Select(n => new SummaryRow(
            n.Name, n.Module.GetType(), n.Depth, n.Children.Count == 0, n.Calls, n.Input, n.Output, n.OutputBytes,
            n.Parameters, n.Trainable, n.TotalParameters, n.TotalTrainable, n.Macs, n.TotalMacs)).ToList();
        return new Summary(rows[0].Type, input.shape, input.dtype, input.numel() * input.element_size(), outputShape, rows, depth,
                           parameterBytes, bufferBytes, activationBytes);
    }

    private static void RunForward(nn.Module<Tensor, Tensor> model, Tensor input, List<Node> nodes, string inputArgument, out long[]? outputShape)
    {
        // Pre-hooks push the module being run and post-hooks pop it, so when the forward pass fails
        // the top of the stack is the innermost module that failed.
        var running = new Stack<(Node node, long[] input)>();
        var removers = new List<Action>();
        try
        {
            foreach (var node in nodes)
            {
                // Only one-tensor modules have hooks that see their tensors.
                if (node.Module is not nn.Module<Tensor, Tensor> layer) continue;
                removers.Add(layer.register_forward_pre_hook((m, x) =>
                {
                    running.Push((node, x.shape));
                    return null!; // the input unchanged
                }).remove);
                removers.Add(layer.register_forward_hook((m, x, y) =>
                {
                    if (running.Count > 0 && ReferenceEquals(running.Peek().node, node)) running.Pop();
                    node.Calls++;
                    node.Input = x.shape;
                    node.Output = y.shape;
                    node.OutputBytes = y.numel() * y.element_size();
                    node.AllOutputBytes += node.OutputBytes;
                    node.Macs = checked(node.Macs + Macs.Of(m, node.Input, node.Output));
                    return null!; // the output unchanged
                }).remove);
            }
            using var mode = new InferenceMode(model);
            using var scope = torch.NewDisposeScope();
            try
            {
                outputShape = model.call(input).shape;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var where = running.Count == 0 ? "" : Where(running.Peek().node, running.Peek().input);
                throw new ArgumentException(
                    $"Summary: the forward pass of {Type(nodes[0].Module)} on an input of shape {Units.Shape(input.shape)} failed{where}: {e.Message}",
                    inputArgument, e);
            }
        }
        finally
        {
            foreach (var remove in removers) remove();
        }

        static string Where(Node node, long[] input) =>
            node.Name.Length == 0 ? "" : $" in '{node.Name}' ({Type(node.Module)}, input {Units.Shape(input)})";
    }

    internal static string Type(nn.Module module) => ModuleTree.TypeName(module);

    // ---- the results ------------------------------------------------------------------------

    /// <summary>The model's class name (ResNet, LeNet, Sequential).</summary>
    public string ModelName { get; }

    /// <summary>The input's shape, batch included.</summary>
    public IReadOnlyList<long> InputShape { get; }

    public ScalarType InputDtype { get; }

    /// <summary>The model's output shape.</summary>
    public IReadOnlyList<long>? OutputShape { get; }

    /// <summary>
    /// Every module of the tree, the model first, in PyTorch's named_modules() order (depth first, each shared module once;
    /// see <see cref="ModuleTree"/>).
    /// </summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>The display depth: rows deeper than this are folded into their ancestor at this depth.</summary>
    public int Depth { get; }

    /// <summary>The rows shown at <see cref="Depth"/>.</summary>
    public IEnumerable<SummaryRow> VisibleRows => Rows.Where(r => r.Depth <= Depth);

    /// <summary>The row of the module at <paramref name="name"/> (a path such as "layer1.0.conv1"; "" is the model).</summary>
    public SummaryRow Row(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byName.TryGetValue(name, out var row) ? row
            : throw new KeyNotFoundException($"Summary: {ModelName} has no module named '{name}'. Its modules include: " +
                $"{string.Join(", ", Rows.Skip(1).Take(12).Select(r => r.Name))}{(Rows.Count > 13 ? ", …" : "")}");
    }

    /// <summary>The same summary shown to another depth (nothing is run again).</summary>
    public Summary WithDepth(int depth)
    {
        CheckDepth(depth);
        return new Summary(ModelName, InputShape, InputDtype, InputBytes, OutputShape, Rows, depth, ParameterBytesByDtype, BufferBytes, ForwardActivationBytes);
    }

    /// <summary>All parameters of the model, each shared parameter once.</summary>
    public long TotalParameters => Rows[0].TotalParameters;

    /// <summary>Parameters that require grad.</summary>
    public long TrainableParameters => Rows[0].TotalTrainableParameters;

    /// <summary>Parameters that do not require grad (frozen).</summary>
    public long NonTrainableParameters => TotalParameters - TrainableParameters;

    /// <summary>Multiply-accumulates of the whole forward pass (for the whole batch); see <see cref="Macs"/> for what counts.</summary>
    public long TotalMacs => Rows[0].TotalMacs;

    /// <summary>Floating-point operations: 2 × <see cref="TotalMacs"/> (a multiply and an add each).</summary>
    public long TotalFlops => 2 * TotalMacs;

    /// <summary>The bytes of the parameters, by dtype.</summary>
    public IReadOnlyDictionary<ScalarType, long> ParameterBytesByDtype { get; }

    /// <summary>The bytes of all parameters.</summary>
    public long ParameterBytes => ParameterBytesByDtype.Values.Sum();

    /// <summary>The bytes of the buffers (BatchNorm's running statistics), which torchinfo leaves out.</summary>
    public long BufferBytes { get; }

    /// <summary>The bytes of the input.</summary>
    public long InputBytes { get; }

    /// <summary>
    /// The bytes of every output of every leaf module (a module without children) in one forward
    /// pass: the activations a training step keeps for backward, roughly.
    /// </summary>
    public long ForwardActivationBytes { get; }

    /// <summary>
    /// torchinfo's "forward/backward pass size": 2 × <see cref="ForwardActivationBytes"/> (the
    /// activations and their gradients). torchinfo 1.8 adds only the outputs of layers that have
    /// parameters; this counts every leaf layer (ReLU and pooling outputs are kept for backward too),
    /// so it is the larger of the two estimates.
    /// </summary>
    public long ForwardBackwardBytes => 2 * ForwardActivationBytes;

    /// <summary>Input + forward/backward pass + parameters + buffers: an estimate of a training step's memory, without optimizer state.</summary>
    public long EstimatedTotalBytes => InputBytes + ForwardBackwardBytes + ParameterBytes + BufferBytes;

    // ---- display ----------------------------------------------------------------------------

    /// <summary>The plain-text form (torchinfo's layout).</summary>
    public override string ToString() => SummaryText.Text(this);

    /// <summary>The plain-text form (torchinfo's layout).</summary>
    public string ToText() => SummaryText.Text(this);

    /// <summary>An HTML form: the layer table (indented by depth) and the totals.</summary>
    public string ToHtml() => SummaryText.Html(this);

    /// <summary>The visible rows as a <see cref="Visualization.Table"/> (to save as CSV or Markdown, or to sort).</summary>
    public Visualization.Table ToTable()
    {
        var table = new Visualization.Table("Layer", "Name", "Output Shape", "Parameters", "Trainable", "MACs");
        foreach (var r in VisibleRows)
        {
            bool folded = r.Depth == Depth;
            table.AddRow(new string(' ', 2 * r.Depth) + r.Type, r.Name, Units.Shape(r.OutputShape),
                         folded ? r.TotalParameters : r.Parameters, r.Trainable.ToString(), folded ? r.TotalMacs : r.Macs);
        }
        return table.Format("Parameters", "N0").Format("MACs", "N0").WithTitle($"{ModelName}, input {Units.Shape(InputShape)}");
    }
}

/// <summary>Whether a module's parameters (its own and its descendants') require grad.</summary>
public enum Trainability
{
    /// <summary>The module has no parameters.</summary>
    NoParameters,
    /// <summary>Every parameter requires grad.</summary>
    Trainable,
    /// <summary>No parameter requires grad.</summary>
    Frozen,
    /// <summary>Some do and some do not.</summary>
    Partial,
}

/// <summary>One module of a <see cref="Summary"/>.</summary>
public sealed class SummaryRow
{
    internal SummaryRow(string name, Type moduleType, int depth, bool isLeaf, int calls, IReadOnlyList<long>? inputShape,
                        IReadOnlyList<long>? outputShape, long outputBytes, long parameters, long trainableParameters,
                        long totalParameters, long totalTrainableParameters, long macs, long totalMacs)
    {
        Name = name;
        ModuleType = moduleType;
        var typeName = moduleType.Name;
        Type = typeName.Contains('`') ? typeName[..typeName.IndexOf('`')] : typeName;
        Depth = depth;
        IsLeaf = isLeaf;
        Calls = calls;
        InputShape = inputShape;
        OutputShape = outputShape;
        OutputBytes = outputBytes;
        Parameters = parameters;
        TrainableParameters = trainableParameters;
        TotalParameters = totalParameters;
        TotalTrainableParameters = totalTrainableParameters;
        Macs = macs;
        TotalMacs = totalMacs;
    }

    /// <summary>The module's path, as in named_modules() and the state dict ("layer1.0.conv1"); "" for the model.</summary>
    public string Name { get; }

    /// <summary>The last part of <see cref="Name"/> ("conv1"), the field that holds the module.</summary>
    public string LocalName => Name.Contains('.') ? Name[(Name.LastIndexOf('.') + 1)..] : Name;

    /// <summary>The module's class name ("Conv2d").</summary>
    public string Type { get; }

    public Type ModuleType { get; }

    /// <summary>0 for the model, 1 for its children, …</summary>
    public int Depth { get; }

    /// <summary>True for a module without child modules (a layer).</summary>
    public bool IsLeaf { get; }

    /// <summary>How many times the forward pass called this module (a ReLU reused inside a block: 3); 0 if it was not used.</summary>
    public int Calls { get; }

    /// <summary>The input shape of its last call; null if it was not called.</summary>
    public IReadOnlyList<long>? InputShape { get; }

    /// <summary>The output shape of its last call; null if it was not called.</summary>
    public IReadOnlyList<long>? OutputShape { get; }

    /// <summary>The bytes of the output of its last call.</summary>
    public long OutputBytes { get; }

    /// <summary>The module's own parameters (not its children's); a parameter shared by several modules counts for the first.</summary>
    public long Parameters { get; }

    public long TrainableParameters { get; }

    /// <summary>The parameters of the module and its descendants.</summary>
    public long TotalParameters { get; }

    public long TotalTrainableParameters { get; }

    /// <summary>The module's own multiply-accumulates, over all its calls (0 for a container, whose layers count theirs).</summary>
    public long Macs { get; }

    /// <summary>The multiply-accumulates of the module and its descendants.</summary>
    public long TotalMacs { get; }

    /// <summary>2 × <see cref="TotalMacs"/>.</summary>
    public long TotalFlops => 2 * TotalMacs;

    /// <summary>Whether the parameters of the module and its descendants require grad.</summary>
    public Trainability Trainable =>
        TotalParameters == 0 ? Trainability.NoParameters :
        TotalTrainableParameters == TotalParameters ? Trainability.Trainable :
        TotalTrainableParameters == 0 ? Trainability.Frozen : Trainability.Partial;

    public override string ToString() =>
        $"{(Name.Length == 0 ? Type : Name + ": " + Type)} {Units.Shape(OutputShape)} params={Units.Count(TotalParameters)} MACs={Units.Count(TotalMacs)}";
}

/// <summary>Formats a <see cref="Summary"/>: HTML and plain text.</summary>
public sealed class SummaryFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<Summary>(MimeTypes.Html, s => s.ToHtml());
        yield return ConventionFormatter.For<Summary>(MimeTypes.PlainText, s => s.ToText());
    }
}
