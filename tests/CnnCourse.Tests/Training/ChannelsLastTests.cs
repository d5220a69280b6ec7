using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

/// <summary>Channels-last through strides (TorchSharp 0.107 has no memory_format): PyTorch's strides and rules.</summary>
public class ChannelsLastTests
{
    [Fact]
    public void Of_gives_pytorchs_nhwc_strides_and_keeps_the_values()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(2 * 3 * 4 * 5, ScalarType.Float32).view(2, 3, 4, 5);
        var y = ChannelsLast.Of(x);
        Assert.Equal([2L, 3, 4, 5], y.shape);
        Assert.Equal([60L, 1, 15, 3], y.stride());   // torch.empty(2,3,4,5).contiguous(memory_format=torch.channels_last).stride()
        Assert.True(ChannelsLast.Is(y));
        Assert.False(ChannelsLast.Is(x));
        Assert.Equal(x.data<float>().ToArray(), y.contiguous().data<float>().ToArray());
        // One channel: PyTorch's check ignores size-1 dimensions (both layouts pass), but Of re-lays it out.
        var one = torch.zeros(4, 1, 3, 3);
        Assert.True(ChannelsLast.Is(one));
        Assert.Equal([9L, 1, 3, 1], ChannelsLast.Of(one).stride());
        Assert.Contains("[3, 4]", Assert.Throws<ArgumentException>(() => ChannelsLast.Of(torch.zeros(3, 4))).Message);
    }

    [Fact]
    public void Apply_relays_4d_parameters_in_place_so_an_optimizer_keeps_them()
    {
        using var conv = nn.Conv2d(2, 3, 3);
        var weight = conv.weight!;
        var before = weight.data<float>().ToArray();
        ChannelsLast.Apply(conv);
        Assert.Same(weight, conv.weight);
        Assert.Equal([18L, 1, 6, 2], weight.stride());
        Assert.Equal(before, weight.contiguous().data<float>().ToArray());
        Assert.True(weight.requires_grad);
    }
}
