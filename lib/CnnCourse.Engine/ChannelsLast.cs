using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Engine;

/// <summary>
/// PyTorch's <c>memory_format=torch.channels_last</c>, which TorchSharp does not expose. Channels-last is
/// only a layout: an N×C×H×W tensor whose memory runs N, H, W, C, so its strides are (H·W·C, 1, W·C, C).
/// The copy is made with those strides written out, as PyTorch's <c>tensor.to(memory_format)</c> does, so
/// one-channel and 1×1 tensors get them too (a permute-and-contiguous would leave those as they were,
/// since a size-1 dimension makes both layouts count as contiguous). oneDNN picks its channels-last
/// kernels by the strides, as in PyTorch.
/// </summary>
public static class ChannelsLast
{
    /// <summary>A channels-last copy of a 4-D tensor (a new handle on the same data when it already has those strides).</summary>
    public static Tensor ToChannelsLast(this Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4)
            throw new ArgumentException($"Channels-last applies to 4-D (N×C×H×W) tensors; this one has shape [{string.Join(", ", x.shape)}].", nameof(x));
        if (HasChannelsLastStrides(x)) return x.alias();
        long[] shape = x.shape;
        long channels = shape[1], height = shape[2], width = shape[3];
        var result = torch.empty_strided(shape, [height * width * channels, 1, width * channels, channels], x.dtype, x.device);
        return result.copy_(x);
    }

    /// <summary>Whether a 4-D tensor's strides are channels-last's (PyTorch's is_contiguous(memory_format=channels_last)).</summary>
    public static bool IsChannelsLast(this Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4) return false;
        long[] shape = x.shape, strides = x.stride();
        long expected = 1;
        // Memory order C, W, H, N; a dimension of size 1 may have any stride, as in PyTorch.
        foreach (var d in new[] { 1, 3, 2, 0 })
        {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    // Exactly PyTorch's channels-last strides, size-1 dimensions included: oneDNN picks its kernels by the
    // actual strides, so a one-channel weight in NCHW strides (which IsChannelsLast accepts) still takes
    // the NCHW path.
    private static bool HasChannelsLastStrides(Tensor x)
    {
        long[] shape = x.shape, strides = x.stride();
        return strides[1] == 1 && strides[3] == shape[1] && strides[2] == shape[3] * shape[1] && strides[0] == shape[2] * shape[3] * shape[1];
    }

    /// <summary>
    /// Re-lays out every 4-D parameter and buffer of <paramref name="module"/> as channels-last, in
    /// place (PyTorch's <c>module.to(memory_format=torch.channels_last)</c>); returns the module. The
    /// parameters stay the same objects, so an optimizer made before keeps updating them.
    /// </summary>
    public static T ToChannelsLast<T>(this T module) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        using var noGrad = torch.no_grad();
        foreach (var tensor in module.parameters().Cast<Tensor>().Concat(module.buffers()))
        {
            if (tensor.dim() != 4 || HasChannelsLastStrides(tensor)) continue;
            using var relaid = tensor.ToChannelsLast();
            tensor.set_(relaid);
        }
        return module;
    }
}
