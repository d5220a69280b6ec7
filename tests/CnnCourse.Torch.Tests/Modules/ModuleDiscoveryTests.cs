using CnnCourse.Torch.Modules;

namespace CnnCourse.Torch.Tests.Modules;

public class ModuleDiscoveryTests
{
    private static readonly string[] NormParameters = { "weight", "bias" };

    private static IEnumerable<string> Norm(string prefix, bool persistentOnly = true) =>
        NormParameters.Concat(persistentOnly
                ? new[] { "running_mean", "running_var", "num_batches_tracked" }
                : new[] { "running_mean", "running_var", "num_batches_tracked", "scratch" })
            .Select(n => prefix + n);

    private static IEnumerable<string> Block(string prefix) =>
        new[] { prefix + "fc1.weight", prefix + "fc1.bias" }.Concat(Norm(prefix + "bn1."));

    [Fact]
    public void Children_and_modules_follow_field_declaration_order_then_registration()
    {
        using var net = new ToyNet();
        Assert.Equal(new[] { "conv1", "bn1", "layer1", "fc", "head1" }, net.named_children().Select(c => c.name));
        Assert.Equal(new[]
        {
            "", "conv1", "bn1", "layer1", "layer1.0", "layer1.0.fc1", "layer1.0.bn1",
            "layer1.1", "layer1.1.fc1", "layer1.1.bn1", "fc", "head1",
        }, net.named_modules().Select(m => m.name));
        Assert.Same(net, net.modules().First());
        Assert.IsType<Sequential>(net.get_submodule("layer1"));
        Assert.Same(net.layer1[1], net.get_submodule("layer1.1"));
    }

    [Fact]
    public void Parameter_buffer_and_state_dict_keys_are_pytorchs()
    {
        using var net = new ToyNet();
        var parameterNames = new[] { "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias" }
            .Concat(new[] { "layer1.0.fc1.weight", "layer1.0.fc1.bias", "layer1.0.bn1.weight", "layer1.0.bn1.bias" })
            .Concat(new[] { "layer1.1.fc1.weight", "layer1.1.fc1.bias", "layer1.1.bn1.weight", "layer1.1.bn1.bias" })
            .Concat(new[] { "fc.weight", "fc.bias", "head1.weight" });
        Assert.Equal(parameterNames, net.named_parameters().Select(p => p.name));
        Assert.Equal(15, net.parameters().Count());
        Assert.All(net.parameters(), p => Assert.True(p.requires_grad));

        Assert.Equal(new[]
        {
            "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "bn1.scratch",
            "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var", "layer1.0.bn1.num_batches_tracked", "layer1.0.bn1.scratch",
            "layer1.1.bn1.running_mean", "layer1.1.bn1.running_var", "layer1.1.bn1.num_batches_tracked", "layer1.1.bn1.scratch",
        }, net.named_buffers().Select(b => b.name));

        // For each module: parameters, persistent buffers, then children (PyTorch's order).
        var expected = new[] { "conv1.weight", "conv1.bias" }
            .Concat(Norm("bn1."))
            .Concat(Block("layer1.0.")).Concat(Block("layer1.1."))
            .Concat(new[] { "fc.weight", "fc.bias", "head1.weight" });
        Assert.Equal(expected, net.state_dict().Keys);
        Assert.Equal(new long[] { 2, 4 }, net.state_dict()["conv1.weight"].shape);
        Assert.Equal(ScalarType.Int64, net.state_dict()["layer1.1.bn1.num_batches_tracked"].dtype);

        // Not recursive: only the module's own members.
        Assert.Empty(net.named_parameters(recurse: false));
        Assert.Equal(new[] { "weight", "bias" }, net.get_submodule("bn1").named_parameters(recurse: false).Select(p => p.name));
    }

    [Fact]
    public void Field_held_buffer_and_registration_are_the_same_tensor()
    {
        using var norm = new TinyNorm(3);
        Assert.Same(norm.running_mean, norm.get_buffer("running_mean"));
        // Reassigning the field replaces the buffer (there is no second copy to forget).
        norm.running_mean = torch.full(new long[] { 3 }, 5.0f);
        Assert.Equal(new float[] { 5, 5, 5 }, norm.state_dict()["running_mean"].ToArray<float>());
    }

    [Fact]
    public void Discovery_reads_current_field_values()
    {
        using var block = new ToyBlock(2);
        Assert.DoesNotContain("downsample", block.named_children().Select(c => c.name)); // null: an absent optional layer
        block.downsample = new TinyLinear(2, 2);
        Assert.Equal(new[] { "fc1", "bn1", "downsample" }, block.named_children().Select(c => c.name));
        Assert.Contains("downsample.weight", block.state_dict().Keys);
        block.downsample = null;
        Assert.DoesNotContain("downsample.weight", block.state_dict().Keys);
    }

    [Fact]
    public void Register_module_names_dynamic_children_and_assigns_same_named_fields()
    {
        using var block = new ToyBlock(2);
        var replacement = new TinyLinear(2, 2);
        block.register_module("downsample", replacement); // a field of that name: assigned
        Assert.Same(replacement, block.downsample);
        Assert.Equal(1, block.named_children().Count(c => c.name == "downsample"));

        using var dense = new Sequential();
        for (int i = 1; i <= 3; i++) dense.register_module($"denselayer{i}", new TinyLinear(2, 2));
        Assert.Equal(new[] { "denselayer1.weight", "denselayer1.bias", "denselayer2.weight", "denselayer2.bias", "denselayer3.weight", "denselayer3.bias" },
            dense.state_dict().Keys);

        Assert.Throws<ArgumentException>(() => dense.register_module("a.b", new TinyLinear(1, 1)));
        Assert.Throws<ArgumentException>(() => dense.register_module("", new TinyLinear(1, 1)));
        var ex = Assert.Throws<ArgumentException>(() => block.register_parameter("fc1", new Parameter(torch.zeros(1))));
        Assert.Contains("fc1", ex.Message);
        Assert.Throws<ArgumentException>(() => block.register_buffer("fc1", torch.zeros(1)));
    }

    [Fact]
    public void Shared_parameters_and_modules_are_listed_once()
    {
        var shared = new TinyLinear(2, 2);
        using var seq = torch.nn.Sequential(shared, shared);
        Assert.Equal(new[] { "", "0" }, seq.named_modules().Select(m => m.name));
        Assert.Equal(2, seq.parameters().Count());
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }, seq.state_dict().Keys);
    }

    private sealed class ArrayOfLayers : Module
    {
        public TinyLinear first = new(2, 2);
        private readonly TinyLinear[] blocks = { new(2, 2), new(2, 2) };
        public override Tensor forward(Tensor input) => blocks.Aggregate(first.call(input), (x, b) => b.call(x));
    }

    private sealed class ListOfParameters : Module
    {
        public List<Parameter> weights = new() { new Parameter(torch.zeros(2)) };
    }

    private sealed class ListOfTensorsHoldingAParameter : Module
    {
        public List<Tensor> tensors = new() { torch.zeros(2), new Parameter(torch.zeros(2)) };
    }

    private sealed class ListOfPlainTensors : Module
    {
        public List<Tensor> cache = new() { torch.zeros(2) };
        public TinyLinear fc = new(2, 2);
    }

    private sealed class DictionaryOfModules : Module
    {
        public Dictionary<string, Module> byName = new() { ["a"] = new TinyLinear(1, 1) };
    }

    private sealed class ExplicitlyUnregistered : Module
    {
        public TinyLinear own = new(2, 2);
        [Unregistered] public TinyLinear borrowed;
        [Unregistered] public List<Module> alsoBorrowed;
        [Unregistered] public TinyLinear ViaProperty { get; }

        public ExplicitlyUnregistered(TinyLinear other)
        {
            borrowed = other;
            alsoBorrowed = new() { other };
            ViaProperty = other;
        }
    }

    [Fact]
    public void Modules_in_a_plain_collection_are_a_loud_error()
    {
        using var net = new ArrayOfLayers();
        var ex = Assert.Throws<InvalidOperationException>(() => net.parameters());
        Assert.Contains("ArrayOfLayers.blocks", ex.Message);
        Assert.Contains("TinyLinear[]", ex.Message);
        Assert.Contains("ModuleList", ex.Message);
        // Every discovery path reports it, not just parameters().
        Assert.Throws<InvalidOperationException>(() => net.state_dict());
        Assert.Throws<InvalidOperationException>(() => net.named_modules());
        Assert.Throws<InvalidOperationException>(() => net.train());
        Assert.Throws<InvalidOperationException>(() => net.to(torch.float64));
        // Also when the bad module is nested somewhere below.
        using var outer = torch.nn.Sequential(new TinyLinear(2, 2), new ArrayOfLayers());
        Assert.Throws<InvalidOperationException>(() => outer.parameters());

        var p = Assert.Throws<InvalidOperationException>(() => new ListOfParameters().parameters());
        Assert.Contains("ListOfParameters.weights", p.Message);
        Assert.Contains("ParameterList", p.Message);
        Assert.Throws<InvalidOperationException>(() => new ListOfTensorsHoldingAParameter().parameters());
        Assert.Throws<InvalidOperationException>(() => new DictionaryOfModules().parameters());

        // Plain tensors in a collection are not state; [Unregistered] opts out deliberately.
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, new ListOfPlainTensors().state_dict().Keys);
        Assert.Equal(new[] { "own.weight", "own.bias" }, new ExplicitlyUnregistered(new TinyLinear(2, 2)).state_dict().Keys);
    }

    private sealed class ObjectsHoldingAModule : Module
    {
        public List<object> things = new() { "a label", new TinyLinear(1, 1) };
    }

    private sealed class BackReference : Module
    {
        public TinyLinear fc = new(1, 1);
        public Module? parent;
    }

    [Fact]
    public void A_module_in_a_list_of_objects_is_also_an_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ObjectsHoldingAModule().parameters());
        Assert.Contains("ObjectsHoldingAModule.things", ex.Message);
    }

    [Fact]
    public void A_cycle_in_the_tree_is_an_error_not_a_stack_overflow()
    {
        var child = new BackReference();
        using var root = torch.nn.Sequential(child);
        child.parent = root;
        Assert.Throws<InvalidOperationException>(() => root.named_modules());
        Assert.Throws<InvalidOperationException>(() => root.state_dict());
        Assert.Throws<InvalidOperationException>(() => root.train());
        Assert.Throws<InvalidOperationException>(() => root.apply(_ => { }));
        var ex = Assert.Throws<InvalidOperationException>(() => root.ToString());
        Assert.Contains("[Unregistered]", ex.Message);
        child.parent = null;
        Assert.Equal(new[] { "0.fc.weight", "0.fc.bias" }, root.state_dict().Keys);
        root.train(); // the guards were released
    }

    [Fact]
    public void Containers_register_what_they_hold()
    {
        using var list = torch.nn.ModuleList(new TinyLinear(1, 2), new TinyLinear(2, 3));
        list.append(new TinyLinear(3, 4));
        Assert.Equal(3, list.Count);
        Assert.Equal(new[] { "0", "1", "2" }, list.named_children().Select(c => c.name));
        var inserted = new TinyLinear(9, 9);
        list.insert(1, inserted);
        Assert.Equal(new[] { "0", "1", "2", "3" }, list.named_children().Select(c => c.name));
        Assert.Same(inserted, list[1]);
        Assert.Equal(new long[] { 2, 3 }, ((TinyLinear)list[2]).weight.shape);
        Assert.Same(inserted, list.pop(1));
        Assert.Equal(new long[] { 3, 4 }, ((TinyLinear)list[-1]).weight.shape);
        Assert.Throws<NotImplementedException>(() => list.call(torch.zeros(1)));

        using var dict = torch.nn.ModuleDict(("features", new TinyLinear(2, 2)), ("classifier", new TinyLinear(2, 1)));
        Assert.Equal(new[] { "features", "classifier" }, dict.Keys);
        Assert.Equal(new[] { "features.weight", "features.bias", "classifier.weight", "classifier.bias" }, dict.state_dict().Keys);
        dict["features"] = new TinyLinear(2, 5); // replaced in place, keeps its position
        Assert.Equal(new[] { "features", "classifier" }, dict.Keys);
        Assert.Equal(new long[] { 2, 5 }, dict.state_dict()["features.weight"].shape);

        using var plist = torch.nn.ParameterList(new Parameter(torch.zeros(2)), new Parameter(torch.ones(3)));
        Assert.Equal(new[] { "0", "1" }, plist.named_parameters().Select(p => p.name));
        Assert.Equal(2, plist.Count);
    }

    [Fact]
    public void Sequential_chains_calls_and_supports_names_index_and_slices()
    {
        torch.manual_seed(1);
        var a = new TinyLinear(2, 3);
        var b = new TinyLinear(3, 1);
        using var seq = torch.nn.Sequential(a, b);
        using var x = torch.ones(4, 2);
        using var expected = b.forward(a.forward(x));
        using var y = seq.call(x);
        Assert.Equal(expected.ToArray<float>(), y.ToArray<float>());
        Assert.Same(a, seq[0]);
        Assert.Same(b, seq[-1]);
        Assert.Equal(2, seq.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => seq[2]);
        using var tail = seq[1..];
        Assert.Equal(new[] { "1" }, tail.named_children().Select(c => c.name)); // names kept, as PyTorch's slicing
        Assert.Same(b, tail[0]);

        using var named = torch.nn.Sequential(("conv", new TinyLinear(1, 1)), ("relu", new TinyLinear(1, 1)));
        Assert.Equal(new[] { "conv.weight", "conv.bias", "relu.weight", "relu.bias" }, named.state_dict().Keys);
        Assert.IsType<TinyLinear>(named["conv"]);
        named.append(new TinyLinear(1, 1));
        Assert.Equal("2", named.named_children().Last().name);
        Assert.Equal(new Module[] { a, b }, seq.ToArray());
    }

    [Fact]
    public void Train_and_eval_reach_every_descendant()
    {
        using var net = new ToyNet();
        Assert.All(net.modules(), m => Assert.True(m.training));
        net.eval();
        Assert.All(net.modules(), m => Assert.False(m.training));
        Assert.False(net.layer1[1].get_submodule("bn1").training);
        net.layer1.train();
        Assert.True(net.get_submodule("layer1.0.fc1").training);
        Assert.False(net.fc.training);
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void Apply_visits_children_before_parents()
    {
        using var net = torch.nn.Sequential(torch.nn.Sequential(new TinyLinear(1, 1)), new TinyLinear(1, 1));
        var visited = new List<string>();
        net.apply(m => visited.Add(m.GetType().Name + m.named_children().Count()));
        Assert.Equal(new[] { "TinyLinear0", "Sequential1", "TinyLinear0", "Sequential2" }, visited);
    }

    [Fact]
    public void ToString_prints_the_tree_like_pytorch()
    {
        using var net = torch.nn.Sequential(new TinyLinear(2, 3), torch.nn.Sequential(new TinyLinear(3, 1, bias: false)));
        Assert.Equal(
            "Sequential(\n" +
            "  (0): TinyLinear(in_features=2, out_features=3, bias=True)\n" +
            "  (1): Sequential(\n" +
            "    (0): TinyLinear(in_features=3, out_features=1, bias=False)\n" +
            "  )\n" +
            ")", net.ToString());
        using var empty = new Sequential();
        Assert.Equal("Sequential()", empty.ToString());
    }
}
