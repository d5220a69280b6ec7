using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Engine.Tests;

public class ChannelsLastTests
{
    // PyTorch 1.13: nn.Conv2d(1, 6, 5).to(memory_format=torch.channels_last).weight.stride() == (25, 1, 5, 1)
    // and nn.Conv2d(3, 6, 1) gives (3, 1, 3, 3); one-channel and 1×1 weights are re-laid out too.
    [Theory]
    [InlineData(1, 6, 5, new long[] { 25, 1, 5, 1 })]
    [InlineData(3, 6, 1, new long[] { 3, 1, 3, 3 })]
    [InlineData(3, 8, 3, new long[] { 27, 1, 9, 3 })]
    public void Module_weights_get_PyTorchs_channels_last_strides(int inChannels, int outChannels, int kernel, long[] strides)
    {
        var conv = nn.Conv2d(inChannels, outChannels, kernel).ToChannelsLast();
        Assert.Equal(strides, conv.weight!.stride());
        Assert.True(conv.weight.IsChannelsLast());
        Assert.True(conv.weight.requires_grad);
        Assert.Equal([outChannels], conv.bias!.shape);
    }

    [Fact]
    public void A_convolution_on_channels_last_input_gives_the_same_values_in_channels_last_layout()
    {
        torch.manual_seed(1);
        var conv = nn.Conv2d(3, 4, 3, padding: 1);
        using var x = torch.randn(2, 3, 8, 8);
        using var reference = conv.call(x);
        conv.ToChannelsLast();
        using var nhwc = x.ToChannelsLast();
        Assert.False(x.IsChannelsLast());
        Assert.True(nhwc.IsChannelsLast());
        Assert.Equal(x.shape, nhwc.shape);
        using var y = conv.call(nhwc);
        Assert.True(y.IsChannelsLast());
        Assert.True(y.allclose(reference, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Training_after_the_relayout_updates_the_relaid_weights()
    {
        var conv = nn.Conv2d(2, 2, 3).ToChannelsLast();
        var optimizer = optim.SGD(conv.parameters(), 0.1);
        using var before = conv.weight!.detach().clone();
        using var x = torch.randn(1, 2, 5, 5).ToChannelsLast();
        using var loss = conv.call(x).sum();
        loss.backward();
        optimizer.step();
        Assert.True(conv.weight.IsChannelsLast());
        Assert.False(conv.weight.detach().allclose(before));
    }

    [Fact]
    public void Copies_keep_the_values_and_parameters_stay_the_same_objects()
    {
        using var x = torch.arange(2 * 3 * 4 * 5, ScalarType.Float32).view(2, 3, 4, 5);
        using var y = x.ToChannelsLast();
        Assert.Equal([60L, 1, 15, 3], y.stride()); // torch.empty(2,3,4,5).contiguous(memory_format=torch.channels_last).stride()
        Assert.Equal(x.data<float>().ToArray(), y.contiguous().data<float>().ToArray());
        using var again = y.ToChannelsLast();
        again.add_(1); // an alias: the change shows through y
        Assert.Equal(1f, (y - x).min().item<float>());

        var conv = nn.Conv2d(2, 3, 3);
        var weight = conv.weight!;
        var before = weight.data<float>().ToArray();
        conv.ToChannelsLast();
        Assert.Same(weight, conv.weight);
        Assert.Equal([18L, 1, 6, 2], weight.stride());
        Assert.Equal(before, weight.contiguous().data<float>().ToArray());
    }

    [Fact]
    public void Only_four_dimensional_tensors_have_a_channels_last_form()
    {
        using var vector = torch.ones(3);
        var error = Assert.Throws<ArgumentException>(() => vector.ToChannelsLast());
        Assert.Contains("[3]", error.Message);
        Assert.False(vector.IsChannelsLast());
    }
}
