using CnnCourse.Analysis;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models.Tests;

/// <summary>
/// MobileNet v2 and EfficientNet with a stride-1 stem and the ImageNet strides after it (lesson 12's 28-px
/// form): the same weights as the other forms, maps 28 → 14 → 7 → 4 → 2, and the MACs counted here.
/// </summary>
public class StemStrideTests
{
    public static TheoryData<string, long, long, long, long> Forms() => new()
    {
        // model, parameters, MACs with stemStride 1, with small: true, with the ImageNet strides (28 px, 1 channel, 10 classes)
        { "mobilenet_v2", 2_236_106, 21_750_608, 226_538_624, 5_597_552 },
        { "efficientnet_b0", 4_019_782, 29_207_488, 311_579_104, 7_947_472 },
    };

    private static nn.Module<Tensor, Tensor> Build(string name, bool small = false, long? stemStride = null) => name == "mobilenet_v2"
        ? new MobileNetV2(10, 1, small: small, stemStride: stemStride)
        : new EfficientNet(EfficientNet.Variants[0], 10, 1, small: small, stemStride: stemStride);

    [Theory]
    [MemberData(nameof(Forms))]
    public void A_stride_1_stem_keeps_the_weights_and_ends_at_2_by_2(string name, long parameters, long stemOneMacs, long smallMacs, long imageNetMacs)
    {
        using var stemOne = Build(name, stemStride: 1);
        using var small = Build(name, small: true);
        using var imageNet = Build(name);
        var s = Summary.Of(stemOne, 1, 1, 28, 28);
        Assert.Equal(parameters, s.TotalParameters);
        Assert.Equal(stemOneMacs, s.TotalMacs);
        Assert.Equal([1, 1280, 2, 2], s.Row("features").OutputShape);
        Assert.Equal(14, s.Row("features.2").OutputShape![2]);   // the first stride-2 stage after the stem
        Assert.Equal((parameters, smallMacs), (Summary.Of(small, 1, 1, 28, 28).TotalParameters, Summary.Of(small, 1, 1, 28, 28).TotalMacs));
        Assert.Equal((parameters, imageNetMacs), (Summary.Of(imageNet, 1, 1, 28, 28).TotalParameters, Summary.Of(imageNet, 1, 1, 28, 28).TotalMacs));
        // The same state-dict keys and shapes in all three forms: only the strides differ.
        static IEnumerable<(string, string)> Shapes(nn.Module m) => m.state_dict().Select(p => (p.Key, string.Join(",", p.Value.shape)));
        Assert.Equal(Shapes(stemOne), Shapes(small));
    }

    [Fact]
    public void Stem_stride_defaults_follow_the_form_and_bad_strides_are_refused()
    {
        // small: true with stemStride: 2 keeps the stem's stride but still skips the first two stride-2 stages.
        using var smallStrided = new MobileNetV2(10, 1, small: true, stemStride: 2);
        Assert.Equal([1, 1280, 4, 4], Summary.Of(smallStrided, 1, 1, 28, 28).Row("features").OutputShape);
        var bad = Assert.Throws<ArgumentException>(() => new MobileNetV2(stemStride: 3));
        Assert.Equal("stemStride", bad.ParamName);
        Assert.Throws<ArgumentException>(() => new EfficientNet(EfficientNet.Variants[0], stemStride: 0));
    }
}
