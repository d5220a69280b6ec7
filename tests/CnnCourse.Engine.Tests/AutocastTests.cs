using CnnCourse.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Engine.Tests;

public class AutocastTests
{
    private static Tensor Conv(Tensor x, Tensor w) => nn.functional.conv2d(x, w, padding: [1, 1]);

    [Fact]
    public void Conv2d_runs_in_bfloat16_inside_the_scope_and_in_float32_after_it()
    {
        using var x = torch.randn(2, 3, 8, 8);
        using var w = torch.randn(4, 3, 3, 3);
        using (Amp.Autocast(ScalarType.BFloat16))
        {
            Assert.True(Amp.IsAutocastEnabled());
            using var inside = Conv(x, w);
            Assert.Equal(ScalarType.BFloat16, inside.dtype);
            // Reductions and losses stay in float32 under autocast: the op list is libtorch's.
            using var logits = torch.randn(4, 10);
            using var target = torch.tensor(new long[] { 1, 2, 3, 4 });
            using var loss = nn.functional.cross_entropy(logits.to(ScalarType.BFloat16), target);
            Assert.Equal(ScalarType.Float32, loss.dtype);
        }
        Assert.False(Amp.IsAutocastEnabled());
        using var after = Conv(x, w);
        Assert.Equal(ScalarType.Float32, after.dtype);
    }

    [Fact]
    public void Bfloat16_result_is_close_to_float32()
    {
        using var x = torch.randn(1, 3, 16, 16);
        using var w = torch.randn(8, 3, 3, 3);
        using var reference = Conv(x, w);
        using var scope = Amp.Autocast(ScalarType.BFloat16);
        using var mixed = Conv(x, w);
        using var asFloat = mixed.to(ScalarType.Float32);
        // bfloat16 keeps 8 significant bits: a relative error around 2^-8 per value.
        var relative = (asFloat - reference).abs().max().item<float>() / reference.abs().max().item<float>();
        Assert.InRange(relative, 0, 0.02);
    }

    [Fact]
    public void Scopes_nest_and_restore_the_outer_state()
    {
        using var x = torch.randn(1, 2, 4, 4);
        using var w = torch.randn(2, 2, 3, 3);
        using (Amp.Autocast(ScalarType.BFloat16))
        {
            using (Amp.Autocast(ScalarType.BFloat16, enabled: false))
            {
                Assert.False(Amp.IsAutocastEnabled());
                using var inner = Conv(x, w);
                Assert.Equal(ScalarType.Float32, inner.dtype);
            }
            using (Amp.Autocast(ScalarType.Float16))
            {
                Assert.Equal(ScalarType.Float16, Amp.AutocastDtype());
                using var half = Conv(x, w);
                Assert.Equal(ScalarType.Float16, half.dtype);
            }
            Assert.True(Amp.IsAutocastEnabled());
            Assert.Equal(ScalarType.BFloat16, Amp.AutocastDtype());
            using var outer = Conv(x, w);
            Assert.Equal(ScalarType.BFloat16, outer.dtype);
        }
        Assert.False(Amp.IsAutocastEnabled());
    }

    [Fact]
    public void Unsupported_precision_or_device_is_an_argument_error()
    {
        var dtype = Assert.Throws<ArgumentException>(() => Amp.Autocast(ScalarType.Float64));
        Assert.Contains("Float64", dtype.Message);
        var device = Assert.Throws<ArgumentException>(() => Amp.Autocast(ScalarType.BFloat16, DeviceType.MPS));
        Assert.Contains("MPS", device.Message);
        Assert.False(Amp.IsAutocastEnabled());
    }

    [Fact]
    public void A_scope_closed_on_another_thread_is_refused()
    {
        var scope = Amp.Autocast(ScalarType.BFloat16);
        Exception? error = null;
        var other = new Thread(() => error = Record.Exception(scope.Dispose));
        other.Start();
        other.Join();
        Assert.IsType<InvalidOperationException>(error);
        scope.Dispose();
        Assert.False(Amp.IsAutocastEnabled());
    }

    // TorchSharp has no autocast today (dotnet/TorchSharp#1235). If it gains one under the usual
    // name, this fails, and the course should use TorchSharp's instead of the helper's.
    [Fact]
    public void TorchSharp_still_lacks_autocast()
    {
        var names = typeof(torch).GetMembers().Select(m => m.Name).Concat(typeof(torch).GetNestedTypes().Select(t => t.Name));
        Assert.DoesNotContain(names, n => n.Equals("autocast", StringComparison.OrdinalIgnoreCase) || n.Equals("amp", StringComparison.OrdinalIgnoreCase));
    }
}
