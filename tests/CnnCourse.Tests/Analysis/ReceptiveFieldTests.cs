using CnnCourse.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Analysis;

public class ReceptiveFieldTests
{
    private static RfLayer Conv3(string name) => RfLayer.Conv(3, padding: 1, name: name);

    [Fact]
    public void Stacked_3x3_convolutions_see_5_then_7_pixels()
    {
        var rf = ReceptiveField.Of(Conv3("a"), Conv3("b"), Conv3("c"));
        Assert.Equal(new Size2(3), rf["a"].Size);
        Assert.Equal(new Size2(5), rf["b"].Size);
        Assert.Equal(new Size2(7), rf.Size);
        Assert.Equal(new Size2(1), rf.Jump);
        Assert.Equal((0.0, 0.0), rf.Start); // padding 1 keeps each output centred on its input pixel
    }

    [Fact]
    public void Strides_multiply_the_jump_and_dilation_widens_the_kernel()
    {
        // conv 3 s2 (RF 3, jump 2), then conv 3: RF 3 + 2·2 = 7, jump 2.
        var rf = ReceptiveField.Of(RfLayer.Conv(3, stride: 2), RfLayer.Conv(3));
        Assert.Equal(new Size2(7), rf.Size);
        Assert.Equal(new Size2(2), rf.Jump);
        // Without padding the first output's field starts at pixel 0, centred at 1; then 1 + 1·2 = 3.
        Assert.Equal((1.0, 1.0), rf.Rows[0].Start);
        Assert.Equal((3.0, 3.0), rf.Start);
        // Dilation 2: a 3×3 kernel spans 5 pixels.
        Assert.Equal(new Size2(5), ReceptiveField.Of(RfLayer.Conv(3, dilation: 2)).Size);
        // Pools default to stride = kernel; a 2×2 pool after a 3×3 conv: RF 3 + 1 = 4, jump 2, start 0.5.
        var pooled = ReceptiveField.Of(RfLayer.Conv(3, padding: 1), RfLayer.Pool(2));
        Assert.Equal(new Size2(4), pooled.Size);
        Assert.Equal(new Size2(2), pooled.Jump);
        Assert.Equal((0.5, 0.5), pooled.Start);
        // Non-square kernels are followed per axis.
        var strip = ReceptiveField.Of(RfLayer.Conv((1, 7), padding: (0, 3)), RfLayer.Conv((7, 1), padding: (3, 0)));
        Assert.Equal(new Size2(7, 7), strip.Size);
        Assert.Equal(new Size2(1, 7), strip.Rows[0].Size);
        Assert.Equal(new Size2(1), ReceptiveField.Of().Size);
    }

    [Fact]
    public void AlexNet_by_layer_specs()
    {
        // Hand-computed (and the figures of Araujo et al., Distill 2019): conv1 11 (jump 4, start
        // (11−1)/2 − 2 = 3), pool1 19, conv2 51, pool2 67, conv3 99, conv4 131, conv5 163, pool5 195.
        var rf = ReceptiveField.Of(
            RfLayer.Conv(11, stride: 4, padding: 2, name: "conv1"), RfLayer.Pool(3, stride: 2, name: "pool1"),
            RfLayer.Conv(5, padding: 2, name: "conv2"), RfLayer.Pool(3, stride: 2, name: "pool2"),
            RfLayer.Conv(3, padding: 1, name: "conv3"), RfLayer.Conv(3, padding: 1, name: "conv4"),
            RfLayer.Conv(3, padding: 1, name: "conv5"), RfLayer.Pool(3, stride: 2, name: "pool5"));
        Assert.Equal(new long[] { 11, 19, 51, 67, 99, 131, 163, 195 }, rf.Rows.Select(r => r.Size.Height));
        Assert.Equal(new long[] { 4, 8, 8, 16, 16, 16, 16, 32 }, rf.Rows.Select(r => r.Jump.Height));
        Assert.Equal((3.0, 3.0), rf["conv1"].Start);
        Assert.Equal((7.0, 7.0), rf["pool1"].Start);
    }

    // VGG-16's features with one channel per layer (channels do not change receptive fields).
    private static Sequential Vgg16Features()
    {
        var features = nn.Sequential();
        foreach (var v in new[] { 64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0 })
        {
            if (v == 0) features.append(nn.MaxPool2d(2, 2));
            else
            {
                features.append(nn.Conv2d(1, 1, 3, padding: 1));
                features.append(nn.ReLU(inplace: true));
            }
        }
        return features;
    }

    [Fact]
    public void VGG16_conv5_3_sees_196_pixels_and_pool5_212()
    {
        // By hand: conv1_x 3, 5; pool1 6 (jump 2); conv2_x 10, 14; pool2 16 (jump 4); conv3_x 24, 32,
        // 40; pool3 44 (jump 8); conv4_x 60, 76, 92; pool4 100 (jump 16); conv5_x 132, 164, 196;
        // pool5 212 (jump 32).
        using var features = Vgg16Features();
        var rf = ReceptiveField.Of(features);
        Assert.Equal(18, rf.Rows.Count); // 13 convolutions and 5 pools; the ReLUs are passed over
        Assert.Equal(new Size2(196), rf["28"].Size); // conv5_3 is features.28
        Assert.Equal(new Size2(212), rf.Size);
        Assert.Equal(new Size2(32), rf.Jump);
        Assert.Equal(new Size2(196), ReceptiveField.Of(features, upTo: "28").Size);
        Assert.Equal(new Size2(196), ReceptiveField.Of(features, upTo: "29").Size); // its ReLU
        Assert.Equal("28", ReceptiveField.Of(features, upTo: "29").Rows[^1].Name);
    }

    [Fact]
    public void A_model_is_walked_through_nested_sequentials_and_stops_at_the_classifier()
    {
        using var net = TestModels.LeNet();
        var rf = ReceptiveField.Of(net);
        // conv 5 p2 → 5; pool 2 → 6 (jump 2); conv 5 → 6 + 4·2 = 14; pool 2 → 16 (jump 4).
        Assert.Equal(new[] { "features.0", "features.2", "features.3", "features.5" }, rf.Rows.Select(r => r.Name));
        Assert.Equal(new Size2(16), rf.Size);
        Assert.Equal(new Size2(4), rf.Jump);

        using var plain = new TestModels.PlainLeNet(); // a class with fields: read in declaration order
        Assert.Equal(new Size2(16), ReceptiveField.Of(plain).Size);
        Assert.Equal(new[] { "conv1", "pool1", "conv2", "pool2" }, ReceptiveField.Of(plain).Rows.Select(r => r.Name));
    }

    [Fact]
    public void Branching_blocks_and_unknown_names_are_refused()
    {
        using var net = nn.Sequential(nn.Conv2d(4, 4, 3), new TestModels.ResidualBlock());
        var e = Assert.Throws<ArgumentException>(() => ReceptiveField.Of(net));
        Assert.Contains("'1' (ResidualBlock)", e.Message);
        Assert.Contains("RfLayer", e.Message);
        // Up to the layer before the block is fine.
        Assert.Equal(new Size2(3), ReceptiveField.Of(net, upTo: "0").Size);
        Assert.Throws<ArgumentException>(() => ReceptiveField.Of(net, upTo: "9"));
        using var lenet = TestModels.LeNet();
        Assert.Throws<ArgumentException>(() => ReceptiveField.Of(lenet, upTo: "classifier.1")); // after the end of the chain
        Assert.Throws<ArgumentException>(() => RfLayer.Conv(0));
        Assert.Throws<ArgumentException>(() => RfLayer.Conv(3, padding: -1));
    }

    [Fact]
    public void Same_padding_is_read_from_the_layer()
    {
        using var net = nn.Sequential(nn.Conv2d(1, 1, 5, padding: Padding.Same), nn.Conv2d(1, 1, 3, padding: Padding.Valid));
        var rf = ReceptiveField.Of(net);
        Assert.Equal(new Size2(2), rf.Rows[0].Layer.Padding);
        Assert.Equal(new Size2(0), rf.Rows[1].Layer.Padding);
        Assert.Equal(new Size2(7), rf.Size);
        Assert.Equal((1.0, 1.0), rf.Start);
    }

    [Fact]
    public void Renders_as_a_table()
    {
        var rf = ReceptiveField.Of(RfLayer.Conv(3, padding: 1, name: "conv1"), RfLayer.Pool(2, name: "pool1"));
        Assert.Equal(
            "Layer  Kernel  Stride  Padding  Dilation  Receptive field  Jump  Start\n" +
            "-----  ------  ------  -------  --------  ---------------  ----  -----\n" +
            "conv1       3       1        1         1                3     1      0\n" +
            "pool1       2       2        0         1                4     2    0.5\n", rf.ToString());
        var html = System.Xml.Linq.XElement.Parse(rf.ToHtml());
        Assert.Equal(3, html.Descendants("tr").Count());
    }
}
