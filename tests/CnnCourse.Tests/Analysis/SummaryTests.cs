using System.Xml.Linq;
using CnnCourse.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Analysis;

public class SummaryTests
{
    // LeNet-5 on 1×1×28×28, by hand (MACs = output elements × Cin/groups × k × k, or × in_features):
    //   features.0 conv 1→6 5×5 p2 → [1, 6, 28, 28]   params 6·25 + 6 = 156       MACs 6·28·28 · 1·25 = 117,600
    //   features.3 conv 6→16 5×5   → [1, 16, 10, 10]  params 16·150 + 16 = 2,416  MACs 16·10·10 · 6·25 = 240,000
    //   classifier.1 400→120                          params 48,120               MACs 120 · 400 = 48,000
    //   classifier.3 120→84                           params 10,164               MACs 84 · 120 = 10,080
    //   classifier.5 84→10                            params 850                  MACs 10 · 84 = 840
    private const long LeNetParameters = 156 + 2416 + 48120 + 10164 + 850; // 61,706
    private const long LeNetMacs = 117_600 + 240_000 + 48_000 + 10_080 + 840; // 416,520

    [Fact]
    public void LeNet_rows_have_hand_computed_shapes_parameters_and_macs()
    {
        using var net = TestModels.LeNet();
        var s = Summary.Of(net, 1, 1, 28, 28);

        Assert.Equal(LeNetParameters, s.TotalParameters);
        Assert.Equal(61_706, s.TotalParameters);
        Assert.Equal(LeNetParameters, s.TrainableParameters);
        Assert.Equal(0, s.NonTrainableParameters);
        Assert.Equal(LeNetMacs, s.TotalMacs);
        Assert.Equal(2 * LeNetMacs, s.TotalFlops);
        Assert.Equal(new long[] { 1, 10 }, s.OutputShape);

        Assert.Equal(new long[] { 1, 6, 28, 28 }, s.Row("features.0").OutputShape);
        Assert.Equal(156, s.Row("features.0").Parameters);
        Assert.Equal(117_600, s.Row("features.0").Macs);
        Assert.Equal(new long[] { 1, 6, 14, 14 }, s.Row("features.2").OutputShape);
        Assert.Equal(0, s.Row("features.2").Macs); // pooling counts 0
        Assert.Equal(new long[] { 1, 16, 10, 10 }, s.Row("features.3").OutputShape);
        Assert.Equal(240_000, s.Row("features.3").Macs);
        Assert.Equal(new long[] { 1, 400 }, s.Row("classifier.0").OutputShape);
        Assert.Equal(new long[] { 1, 400 }, s.Row("classifier.1").InputShape);
        Assert.Equal(48_000, s.Row("classifier.1").Macs);
        Assert.Equal(840, s.Row("classifier.5").Macs);

        // Containers hold no parameters of their own; their totals are their subtree's.
        var features = s.Row("features");
        Assert.Equal(0, features.Parameters);
        Assert.Equal(156 + 2416, features.TotalParameters);
        Assert.Equal(0, features.Macs);
        Assert.Equal(357_600, features.TotalMacs);
        Assert.Equal(1, features.Depth);
        Assert.False(features.IsLeaf);
        Assert.Equal(2, s.Row("features.3").Depth);
        Assert.Equal("Conv2d", s.Row("features.3").Type);
        Assert.Equal("3", s.Row("features.3").LocalName);
        Assert.Equal(Trainability.Trainable, s.Row("").Trainable);
        Assert.Equal(Trainability.NoParameters, s.Row("features.1").Trainable);

        // Rows follow named_modules(): the model, then depth first.
        Assert.Equal(new[] { "", "features", "features.0", "features.1" }, s.Rows.Take(4).Select(r => r.Name));
        Assert.Equal(1 + 2 + 6 + 6, s.Rows.Count);
    }

    [Fact]
    public void Memory_figures_count_parameters_input_and_every_leaf_output()
    {
        using var net = TestModels.LeNet();
        var s = Summary.Of(net, 1, 1, 28, 28);
        Assert.Equal(LeNetParameters * 4, s.ParameterBytes);
        Assert.Equal(LeNetParameters * 4, s.ParameterBytesByDtype[ScalarType.Float32]);
        Assert.Single(s.ParameterBytesByDtype);
        Assert.Equal(784 * 4, s.InputBytes);
        // Leaf outputs (elements): conv 4704, tanh 4704, pool 1176, conv 1600, tanh 1600, pool 400,
        // flatten 400, fc 120, tanh 120, fc 84, tanh 84, fc 10 = 15,002.
        Assert.Equal(15_002 * 4, s.ForwardActivationBytes);
        Assert.Equal(2 * 15_002 * 4, s.ForwardBackwardBytes);
        Assert.Equal(0, s.BufferBytes);
        Assert.Equal(784 * 4 + 2 * 15_002 * 4 + LeNetParameters * 4, s.EstimatedTotalBytes);
    }

    [Fact]
    public void Counts_scale_with_the_batch()
    {
        using var net = TestModels.LeNet();
        var s = Summary.Of(net, 4, 1, 28, 28);
        Assert.Equal(4 * LeNetMacs, s.TotalMacs);
        Assert.Equal(LeNetParameters, s.TotalParameters);
        Assert.Equal(new long[] { 4, 10 }, s.OutputShape);
    }

    [Fact]
    public void Macs_of_grouped_strided_transposed_and_linear_layers()
    {
        // Grouped: 16 outputs · 10·10 positions · (8/4 = 2 input channels · 3·3) = 28,800.
        using (var conv = nn.Conv2d(8, 16, 3, padding: 1, groups: 4))
            Assert.Equal(28_800, Summary.Of(conv, 1, 8, 10, 10).TotalMacs);
        // Depthwise: 8 · 10·10 · (1 · 3·3) = 7,200.
        using (var depthwise = nn.Conv2d(8, 8, 3, padding: 1, groups: 8, bias: false))
            Assert.Equal(7_200, Summary.Of(depthwise, 1, 8, 10, 10).TotalMacs);
        // Strided: output 5×5; 4 · 25 · (3 · 3·3) = 2,700.
        using (var strided = nn.Conv2d(3, 4, 3, stride: 2, padding: 1))
        {
            var s = Summary.Of(strided, 1, 3, 9, 9);
            Assert.Equal(new long[] { 1, 4, 5, 5 }, s.OutputShape);
            Assert.Equal(2_700, s.TotalMacs);
        }
        // Dilation does not change the count: 2 · 6·6 · (1 · 3·3) = 648.
        using (var dilated = nn.Conv2d(1, 2, 3, dilation: 2))
            Assert.Equal(648, Summary.Of(dilated, 1, 1, 10, 10).TotalMacs);
        // Transposed: every input element (4 · 5·5 = 100) scatters a 3×3 kernel into 2 channels: 1,800.
        using (var up = nn.ConvTranspose2d(4, 2, 3, stride: 2))
        {
            var s = Summary.Of(up, 1, 4, 5, 5);
            Assert.Equal(new long[] { 1, 2, 11, 11 }, s.OutputShape);
            Assert.Equal(1_800, s.TotalMacs);
        }
        // Linear over extra dimensions: 2·7 rows · 5 outputs · 10 inputs = 700.
        using (var linear = nn.Linear(10, 5))
            Assert.Equal(700, Summary.Of(linear, 2, 7, 10).TotalMacs);
        // BatchNorm, activations and pooling count 0.
        using (var rest = nn.Sequential(nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1)))
            Assert.Equal(0, Summary.Of(rest, 2, 3, 8, 8).TotalMacs);
    }

    [Fact]
    public void Macs_match_the_formula_helper_and_custom_layers_count_themselves()
    {
        using var conv = nn.Conv2d(3, 8, 3);
        Assert.Equal(8L * 6 * 6 * 3 * 9, Macs.Of(conv, new long[] { 1, 3, 8, 8 }, new long[] { 1, 8, 6, 6 }));
        Assert.True(Macs.IsCounted(conv));
        using var relu = nn.ReLU();
        Assert.False(Macs.IsCounted(relu));

        using var net = nn.Sequential(new Scale(), nn.Linear(4, 2));
        var s = Summary.Of(net, 1, 4);
        Assert.Equal(4, s.Row("0").Macs);       // Scale counts one per element
        Assert.Equal(8, s.Row("1").Macs);
        Assert.Equal(12, s.TotalMacs);
    }

    private sealed class Scale : nn.Module<Tensor, Tensor>, IMacCountable
    {
        public Scale() : base(nameof(Scale)) { }

        public override Tensor forward(Tensor input) => input * 2.0;

        public long CountMacs(IReadOnlyList<long> inputShape, IReadOnlyList<long> outputShape) => inputShape.Aggregate(1L, (a, b) => a * b);
    }

    [Fact]
    public void A_module_called_twice_counts_its_work_twice_and_its_parameters_once()
    {
        var shared = nn.Linear(4, 4);
        using var net = nn.Sequential(shared, nn.ReLU(), shared);
        var s = Summary.Of(net, 1, 4);
        Assert.Equal(20, s.TotalParameters);
        Assert.Equal(2, s.Row("0").Calls);
        Assert.Equal(32, s.Row("0").Macs);
        Assert.Equal(32, s.TotalMacs);
        Assert.Equal(2, s.Rows.Count(r => r.Name.Length > 0)); // "2" is the same module as "0"
        Assert.Contains("Linear (0) ×2", s.ToText());
    }

    [Fact]
    public void Frozen_parameters_are_counted_apart()
    {
        using var net = TestModels.LeNet();
        foreach (var p in TestModels.At(net, "features").parameters()) p.requires_grad = false;
        var s = Summary.Of(net, 1, 1, 28, 28);
        Assert.Equal(2572, s.NonTrainableParameters);
        Assert.Equal(LeNetParameters - 2572, s.TrainableParameters);
        Assert.Equal(Trainability.Frozen, s.Row("features").Trainable);
        Assert.Equal(Trainability.Trainable, s.Row("classifier").Trainable);
        Assert.Equal(Trainability.Partial, s.Row("").Trainable);
        var text = s.ToText();
        Assert.Contains("Trainable", text.Split('\n')[1]); // the column appears when something is frozen
        Assert.Contains("Non-trainable params: 2,572", text);
    }

    [Fact]
    public void Runs_in_eval_mode_without_grad_and_restores_every_modules_mode()
    {
        using var net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Dropout(0.5), nn.Flatten());
        net.train();
        TestModels.At(net, "1").eval(); // a frozen BatchNorm inside a training network
        bool? trainingSeen = null, gradSeen = null;
        var dropout = (Dropout)TestModels.At(net, "2");
        var hook = dropout.register_forward_pre_hook((m, x) =>
        {
            trainingSeen = m.training;
            gradSeen = torch.is_grad_enabled();
            return null!;
        });
        Summary.Of(net, 1, 1, 5, 5);
        hook.remove();
        Assert.False(trainingSeen);
        Assert.False(gradSeen);
        Assert.True(net.training);
        Assert.True(TestModels.At(net, "0").training);
        Assert.False(TestModels.At(net, "1").training);
        Assert.True(dropout.training);
        Assert.True(torch.is_grad_enabled());
        Assert.Equal(0, TestModels.HookCountInTree(net));
    }

    [Fact]
    public void A_failing_forward_names_the_layer_and_its_input_and_removes_the_hooks()
    {
        using var net = TestModels.LeNet();
        var e = Assert.Throws<ArgumentException>(() => Summary.Of(net, 1, 1, 32, 32));
        Assert.Contains("'classifier.1' (Linear, input [1, 576])", e.Message);
        Assert.Contains("[1, 1, 32, 32]", e.Message);
        Assert.Contains("576", e.InnerException!.Message);
        Assert.IsAssignableFrom<System.Runtime.InteropServices.ExternalException>(e.InnerException); // libtorch's error, kept
        Assert.Equal(0, TestModels.HookCountInTree(net));
        Assert.True(net.training);
        Assert.True(torch.is_grad_enabled());
    }

    [Fact]
    public void Rejects_bad_shapes_and_depths()
    {
        using var net = TestModels.LeNet();
        Assert.Throws<ArgumentException>(() => Summary.Of(net));
        Assert.Throws<ArgumentException>(() => Summary.Of(net, 1, 0, 28, 28));
        Assert.Throws<ArgumentException>(() => Summary.Of(net, new long[] { 1, 1, 28, 28 }, depth: -1));
        Assert.Throws<ArgumentNullException>(() => Summary.Of(null!, 1, 1, 28, 28));
        // Three channels into a one-channel network: the first convolution is named.
        var channels = Assert.Throws<ArgumentException>(() => Summary.Of(net, 1, 3, 28, 28));
        Assert.Contains("'features.0' (Conv2d, input [1, 3, 28, 28])", channels.Message);
        Assert.Equal(0, TestModels.HookCountInTree(net));
        var s = Summary.Of(net, 1, 1, 28, 28);
        var e = Assert.Throws<KeyNotFoundException>(() => s.Row("features.9"));
        Assert.Contains("features.0", e.Message);
    }

    [Fact]
    public void Runs_on_a_given_input_and_in_the_models_dtype()
    {
        using var net = TestModels.LeNet().to(ScalarType.Float64);
        var s = Summary.Of(net, 2, 1, 28, 28);
        Assert.Equal(ScalarType.Float64, s.InputDtype);
        Assert.Equal(LeNetParameters * 8, s.ParameterBytesByDtype[ScalarType.Float64]);
        using var x = torch.randn(new long[] { 3, 1, 28, 28 }, dtype: ScalarType.Float64);
        var fromTensor = Summary.OfInput(net, x);
        Assert.Equal(3 * LeNetMacs, fromTensor.TotalMacs);
        Assert.Equal(new long[] { 3, 1, 28, 28 }, fromTensor.InputShape);
    }

    [Fact]
    public void Depth_folds_deeper_rows_into_their_ancestor()
    {
        using var net = TestModels.LeNet();
        var s = Summary.Of(net, new long[] { 1, 1, 28, 28 }, depth: 1);
        Assert.Equal(new[] { "", "features", "classifier" }, s.VisibleRows.Select(r => r.Name));
        Assert.Equal(s.Rows.Count, s.WithDepth(2).VisibleRows.Count());
        var lines = s.ToText().Split('\n');
        var features = lines.Single(l => l.StartsWith("├─Sequential (features)", StringComparison.Ordinal));
        Assert.Contains("2,572", features);   // folded: the subtree's parameters
        Assert.Contains("357,600", features); // and MACs
        Assert.Single(s.WithDepth(0).VisibleRows);
    }

    [Fact]
    public void Plain_text_has_torchinfos_layout()
    {
        using var net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3));
        var text = Summary.Of(net, 1, 1, 4, 4).ToText();
        // conv: 2·2·2 outputs · 9 = 72 MACs, 2·9 + 2 = 20 params; linear: 3 · 8 = 24 MACs, 27 params.
        const string rule = "===========================================================";
        var expected = string.Join("\n",
            rule,
            "Layer (type (name))             Output Shape  Param #  MACs",
            rule,
            "Sequential                      [1, 3]             --    --",
            "├─Conv2d (0)                    [1, 2, 2, 2]       20    72",
            "├─ReLU (1)                      [1, 2, 2, 2]       --    --",
            "├─Flatten (2)                   [1, 8]             --    --",
            "├─Linear (3)                    [1, 3]             27    24",
            rule,
            "Total params: 47",
            "Trainable params: 47",
            "Non-trainable params: 0",
            "Total MACs (multiply-accumulates): 96",
            "Total FLOPs (2 × MACs): 192",
            rule,
            "Input size: 0.00 MB (float32 [1, 1, 4, 4])",
            "Forward activations: 0.00 MB",
            "Forward/backward pass size: 0.00 MB (2 × the outputs of every leaf layer)",
            "Params size: 0.00 MB (float32)",
            "Buffers size: 0.00 MB",
            "Estimated total size: 0.00 MB",
            rule,
            "MACs count convolutions and linear layers (bias excluded), as torchvision's GFLOPS; BatchNorm, activations, pooling and additions count 0.",
            "");
        Assert.Equal(expected, text);
        Assert.Equal(text, Summary.Of(net, 1, 1, 4, 4).ToString());
    }

    [Fact]
    public void Deeper_rows_are_drawn_as_a_tree()
    {
        using var net = TestModels.LeNet();
        var lines = Summary.Of(net, 1, 1, 28, 28).ToText().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("├─Sequential (classifier)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("│    └─Linear (5)", StringComparison.Ordinal) && l.Contains("[1, 10]") && l.Contains("850")
            && l.Contains("840"));
        Assert.Contains("Total MACs (multiply-accumulates): 416.52 k (416,520)", lines);
        Assert.Contains("Total FLOPs (2 × MACs): 833.04 k (833,040)", lines);
    }

    [Fact]
    public void Html_form_is_well_formed_and_displays_through_the_convention()
    {
        using var net = TestModels.LeNet();
        var s = Summary.Of(net, 1, 1, 28, 28);
        var html = XElement.Parse(s.ToHtml());
        Assert.Equal("div", html.Name.LocalName);
        var cells = html.Descendants("td").Select(td => td.Value).ToList();
        Assert.Contains("classifier.5", cells);
        Assert.Contains("117,600", cells);
        Assert.Contains("61,706", cells);

        var attribute = typeof(Summary).GetCustomAttributes(false).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var source = Activator.CreateInstance((Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!)!;
        var formatters = ((IEnumerable<object>)source.GetType().GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).ToList();
        var byMime = formatters.ToDictionary(f => (string)f.GetType().GetProperty("MimeType")!.GetValue(f)!);
        Assert.Equal(new[] { "text/html", "text/plain" }, byMime.Keys.Order());
        var writer = new StringWriter();
        Assert.True((bool)byMime["text/plain"].GetType().GetMethod("Format")!.Invoke(byMime["text/plain"], new object[] { s, writer })!);
        Assert.Equal(s.ToText(), writer.ToString());

        var table = s.ToTable();
        Assert.Equal(s.VisibleRows.Count(), table.Rows.Count);
        Assert.Contains("classifier.5", table.ToCsv());
    }
}
