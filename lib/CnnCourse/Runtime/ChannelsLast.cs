using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Runtime;

/// <summary>
/// The channels-last memory format (NHWC strides for an N×C×H×W tensor), which oneDNN and cuDNN
/// convolutions prefer. TorchSharp 0.107 has no <c>memory_format</c> argument on <c>contiguous</c> or
/// <c>to</c>, so this is PyTorch's <c>x.contiguous(memory_format=torch.channels_last)</c> written with
/// strides: the shape stays N×C×H×W, the strides become (H·W·C, 1, W·C, C). Like PyTorch's
/// <c>module.to(memory_format=…)</c>, <see cref="Apply"/> re-lays every 4-D parameter and buffer out,
/// one-channel and 1×1 weights included.
/// </summary>
public static class ChannelsLast
{
    /// <summary>A channels-last copy of a 4-D tensor (the tensor itself, as a new handle, when it is one already).</summary>
    public static Tensor Of(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4) throw new ArgumentException($"ChannelsLast: a 4-D tensor N×C×H×W was expected, but got shape [{string.Join(", ", x.shape)}].", nameof(x));
        if (HasNhwcStrides(x)) return x.alias();
        // Not permute + contiguous: for one channel that view already counts as contiguous and keeps its strides.
        var size = x.shape;
        var result = torch.empty_strided(size, [size[1] * size[2] * size[3], 1, size[3] * size[1], size[1]], x.dtype, x.device);
        return result.copy_(x);
    }

    /// <summary>Whether a 4-D tensor is laid out channels-last (PyTorch's <c>is_contiguous(memory_format=torch.channels_last)</c>).</summary>
    public static bool Is(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4) return false;
        var (size, stride) = (x.shape, x.stride());
        // PyTorch's rule: dimensions of size 1 may have any stride; the others nest as C, W, H, N.
        long expected = 1;
        foreach (int d in new[] { 1, 3, 2, 0 })
        {
            if (size[d] != 1 && stride[d] != expected) return false;
            expected *= size[d];
        }
        return true;
    }

    // Exactly PyTorch's channels-last strides, size-1 dimensions included: oneDNN picks its kernels by
    // the actual strides (suggest_memory_format), so a one-channel weight in NCHW strides, which Is()
    // accepts, still takes the NCHW path.
    private static bool HasNhwcStrides(Tensor x)
    {
        var (s, t) = (x.shape, x.stride());
        return t[1] == 1 && t[3] == s[1] && t[2] == s[3] * s[1] && t[0] == s[2] * s[3] * s[1];
    }

    /// <summary>Re-lays every 4-D parameter and buffer of <paramref name="module"/> out channels-last, in place.</summary>
    public static void Apply(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            foreach (var p in module.parameters())
                if (p.dim() == 4 && !HasNhwcStrides(p)) p.set_(Of(p));
            foreach (var b in module.buffers())
                if (b.dim() == 4 && !HasNhwcStrides(b)) b.set_(Of(b));
        }
    }
}
