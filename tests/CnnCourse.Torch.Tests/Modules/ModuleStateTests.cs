using CnnCourse.Torch.Modules;

namespace CnnCourse.Torch.Tests.Modules;

public class ModuleStateTests
{
    [Fact]
    public void State_dict_round_trip_copies_values_in_place()
    {
        torch.manual_seed(0);
        using var source = new ToyNet();
        using var target = new ToyNet();
        var targetWeight = target.fc.weight;
        using (torch.no_grad()) source.get_buffer("layer1.1.bn1.num_batches_tracked").fill_(7);
        Assert.NotEqual(source.fc.weight.ToArray<float>(), target.fc.weight.ToArray<float>());

        var result = target.load_state_dict(source.state_dict());
        Assert.Empty(result.missing_keys);
        Assert.Empty(result.unexpected_keys);
        Assert.Equal("<All keys matched successfully>", result.ToString());
        foreach (var (key, value) in source.state_dict())
            Assert.Equal(value.ToDoubleArray(), target.state_dict()[key].ToDoubleArray());
        Assert.Equal(7L, target.get_buffer("layer1.1.bn1.num_batches_tracked").item<long>());
        Assert.Same(targetWeight, target.fc.weight);          // the same Parameter, new values
        Assert.True(target.fc.weight.requires_grad);
        Assert.True(target.fc.weight.is_leaf);

        // Copies, not aliases: changing the source later leaves the target alone.
        using (torch.no_grad()) source.fc.weight.fill_(42);
        Assert.DoesNotContain(42f, target.fc.weight.ToArray<float>());
    }

    [Fact]
    public void Load_converts_dtype_like_copy_()
    {
        using var net = new TinyLinear(2, 2);
        var doubles = new Dictionary<string, Tensor>
        {
            ["weight"] = torch.tensor(new double[,] { { 1, 2 }, { 3, 4 } }),
            ["bias"] = torch.tensor(new double[] { 5, 6 }),
        };
        net.load_state_dict(doubles);
        Assert.Equal(ScalarType.Float32, net.weight.dtype);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, net.weight.ToArray<float>());
    }

    [Fact]
    public void Strict_load_lists_missing_unexpected_and_mismatched_keys()
    {
        using var net = new ToyNet();
        var before = net.fc.weight.ToArray<float>();
        var dict = new OrderedDictionary<string, Tensor>(net.state_dict());
        dict.Remove("bn1.running_var");
        dict.Remove("layer1.0.fc1.bias");
        dict["fc.extra"] = torch.zeros(1);
        dict["fc.weight"] = torch.zeros(5, 3);
        dict["head1.weight"] = torch.zeros(3, 3);

        var ex = Assert.Throws<StateDictException>(() => net.load_state_dict(dict));
        Assert.Equal(new[] { "bn1.running_var", "layer1.0.fc1.bias" }, ex.MissingKeys);
        Assert.Equal(new[] { "fc.extra" }, ex.UnexpectedKeys);
        Assert.Single(ex.ShapeMismatches);
        Assert.StartsWith("Error(s) in loading state_dict for ToyNet:", ex.Message);
        Assert.Contains("Missing key(s) in state_dict: \"bn1.running_var\", \"layer1.0.fc1.bias\".", ex.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"fc.extra\".", ex.Message);
        Assert.Contains("size mismatch for fc.weight: copying a param with shape [5, 3] from checkpoint, the shape in current model is [4, 3].", ex.Message);
        // Nothing was copied, not even the keys that fit.
        Assert.Equal(before, net.fc.weight.ToArray<float>());
        Assert.NotEqual(new float[9], net.get_parameter("head1.weight").ToArray<float>());

        // Non-strict: a shape mismatch is still an error (as in PyTorch) ...
        Assert.Throws<StateDictException>(() => net.load_state_dict(dict, strict: false));
        // ... but missing and unexpected keys are reported, and the rest is loaded.
        dict.Remove("fc.weight");
        var (missing, unexpected) = net.load_state_dict(dict, strict: false);
        Assert.Equal(new[] { "bn1.running_var", "layer1.0.fc1.bias", "fc.weight" }, missing);
        Assert.Equal(new[] { "fc.extra" }, unexpected);
        Assert.Equal(new float[9], net.get_parameter("head1.weight").ToArray<float>());
        Assert.Equal(before, net.fc.weight.ToArray<float>());
    }

    [Fact]
    public void To_float64_keeps_parameter_and_buffer_objects()
    {
        torch.manual_seed(3);
        using var net = new ToyNet();
        var parameters = net.parameters().ToList();
        var buffers = net.buffers().ToList();
        var weight = net.fc.weight;
        var values = weight.ToArray<float>();
        var norm = (TinyNorm)net.layer1[0].get_submodule("bn1");
        var runningMean = norm.running_mean;
        using (var loss = net.call(torch.ones(2, 2)).sum()) loss.backward();

        var same = net.to(torch.float64);
        Assert.Same(net, same);
        Assert.Equal(parameters, net.parameters());              // the very same Parameter objects
        Assert.Equal(buffers, net.buffers());
        Assert.Same(runningMean, norm.running_mean);
        Assert.All(net.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(ScalarType.Float64, weight.dtype);            // seen through a reference taken before
        Assert.Equal(values.Select(v => (double)v), weight.ToArray<double>());
        Assert.True(weight.requires_grad);
        Assert.True(weight.is_leaf);
        using (var g = weight.grad) Assert.Equal(ScalarType.Float64, g!.dtype);
        Assert.Equal(ScalarType.Float64, norm.get_buffer("running_var").dtype);
        Assert.Equal(ScalarType.Int64, norm.get_buffer("num_batches_tracked").dtype); // integer buffers keep their type

        // Training still works after the conversion: gradients accumulate in float64.
        using (var loss = net.call(torch.ones(new long[] { 2, 2 }, dtype: torch.float64)).sum()) loss.backward();
        net.to(torch.float32).to("cpu");
        Assert.Equal(ScalarType.Float32, weight.dtype);
        Assert.Throws<ArgumentException>(() => net.to(torch.int64));
    }

    [Fact]
    public void To_channels_last_relays_4d_weights_and_keeps_values()
    {
        using var conv = torch.nn.Conv2d(3, 8, 3);
        var weight = conv.weight;
        var before = weight.ToArray<float>();
        conv.to(MemoryFormat.ChannelsLast);
        Assert.Same(weight, conv.weight);
        Assert.True(conv.weight.is_contiguous(MemoryFormat.ChannelsLast));
        Assert.False(conv.weight.is_contiguous());
        Assert.Equal(before, conv.weight.ToArray<float>());
        Assert.True(conv.bias!.is_contiguous()); // 1-D tensors are left alone
    }

    [Fact]
    public void To_channels_last_gives_one_channel_and_1x1_weights_pytorchs_strides()
    {
        // A weight with one input channel, or a 1×1 kernel, already counts as channels-last
        // contiguous in NCHW strides; PyTorch still re-lays it out (its strides are what oneDNN
        // reads to pick the layout: left NCHW, LeNet-5's first convolution took a 7x slower path).
        using var first = torch.nn.Conv2d(1, 6, 5);
        using var pointwise = torch.nn.Conv2d(3, 6, 1);
        first.to(MemoryFormat.ChannelsLast);
        pointwise.to(MemoryFormat.ChannelsLast);
        Assert.Equal(new long[] { 25, 1, 5, 1 }, first.weight.stride());     // torch.nn.Conv2d(1, 6, 5).to(memory_format=torch.channels_last)
        Assert.Equal(new long[] { 3, 1, 3, 3 }, pointwise.weight.stride());  // torch.nn.Conv2d(3, 6, 1).to(...)
    }

    [Fact]
    public void Forward_hooks_run_in_order_replace_values_and_can_be_removed()
    {
        using var layer = new TinyLinear(1, 1);
        using (torch.no_grad()) { layer.weight.fill_(2); layer.bias!.fill_(0); }
        var log = new List<string>();
        using var pre = layer.register_forward_pre_hook((m, x) => { log.Add("pre1"); return x + 1; });
        using var pre2 = layer.register_forward_pre_hook((m, x) => log.Add($"pre2 {x.item<float>()}"));
        var post1 = layer.register_forward_hook((m, x, y) => { log.Add($"post1 {x.item<float>()} {y.item<float>()}"); return y * 10; });
        var post2 = layer.register_forward_hook((Module m, Tensor x, Tensor y) => log.Add($"post2 {y.item<float>()}"));

        using var input = torch.ones(1, 1);
        Assert.Equal(40f, layer.call(input).item<float>()); // (1 + 1) * 2 * 10
        Assert.Equal(new[] { "pre1", "pre2 2", "post1 2 4", "post2 40" }, log);

        log.Clear();
        post1.remove();
        post1.remove(); // idempotent
        Assert.Equal(4f, layer.call(input).item<float>());
        Assert.Equal(new[] { "pre1", "pre2 2", "post2 4" }, log);

        log.Clear();
        pre.Dispose();
        post2.Dispose();
        Assert.Equal(2f, layer.call(input).item<float>());
        Assert.Equal(new[] { "pre2 1" }, log);
        // forward itself never runs hooks.
        log.Clear();
        layer.forward(input);
        Assert.Empty(log);
    }

    [Fact]
    public void Hooks_on_children_see_each_layer_of_a_sequential()
    {
        using var net = torch.nn.Sequential(new TinyLinear(2, 3), new TinyLinear(3, 4));
        var shapes = new List<string>();
        foreach (var (name, child) in net.named_children())
            child.register_forward_hook((m, x, y) => shapes.Add($"{name}: {string.Join("x", y.shape)}"));
        net.call(torch.ones(5, 2));
        Assert.Equal(new[] { "0: 5x3", "1: 5x4" }, shapes);
    }

    [Fact]
    public void Zero_grad_clears_or_zeroes_gradients()
    {
        using var layer = new TinyLinear(2, 1);
        using (var loss = layer.call(torch.ones(3, 2)).sum()) loss.backward();
        using (var g = layer.weight.grad) Assert.NotNull(g);
        layer.zero_grad(set_to_none: false);
        using (var g = layer.weight.grad) Assert.Equal(new float[2], g!.ToArray<float>());
        layer.zero_grad();
        Assert.Null(layer.weight.grad);
        Assert.Null(layer.bias!.grad);
    }

    [Fact]
    public void Requires_grad_freezes_and_unfreezes()
    {
        using var net = new ToyNet();
        net.requires_grad_(false);
        Assert.All(net.parameters(), p => Assert.False(p.requires_grad));
        net.fc.requires_grad_();
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, net.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name));
    }

    [Fact]
    public void Parameters_are_leaves_that_outlive_dispose_scopes()
    {
        Parameter p;
        Tensor data;
        using (torch.NewDisposeScope())
        {
            data = torch.ones(2, 2);
            p = torch.nn.Parameter(data);
        }
        Assert.True(data.IsDisposed);
        Assert.False(p.IsDisposed);
        Assert.True(p.requires_grad);
        Assert.True(p.is_leaf);
        Assert.StartsWith("Parameter containing:\ntensor([[1., 1.],", p.ToString());

        using var source = torch.zeros(3);
        using var shared = new Parameter(source, requires_grad: false);
        Assert.False(shared.requires_grad);
        source.fill_(5); // shares storage with the tensor it was made from, as in PyTorch
        Assert.Equal(new float[] { 5, 5, 5 }, shared.ToArray<float>());
        Assert.Throws<TorchException>(() => new Parameter(torch.zeros(new long[] { 2 }, dtype: torch.int64)));
        p.Dispose();
    }

    [Fact]
    public void Dispose_frees_parameters_and_buffers_of_the_tree()
    {
        var net = new ToyNet();
        var tensors = net.parameters().Concat(net.buffers()).ToList();
        net.Dispose();
        Assert.All(tensors, t => Assert.True(t.IsDisposed));
        net.Dispose(); // idempotent
    }

    [Fact]
    public void Module_creation_leaks_no_tensors_into_dispose_scopes()
    {
        var counters = DisposeScope.Counters; // this thread's
        long alive = counters.Created - counters.Disposed;
        using (var scope = torch.NewDisposeScope())
        {
            using var net = new ToyNet();
            Assert.Equal(0, scope.Count); // parameters and buffers belong to the module, not the scope
        }
        Assert.Equal(alive, counters.Created - counters.Disposed);
    }
}
