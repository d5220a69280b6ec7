using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// In-place fills (random and constant) and replacing a tensor's data (Module.to keeps parameters).
public partial class Tensor
{
    /// <summary>Fills with uniform random numbers in [from, to), in place (libtorch's generator).</summary>
    public Tensor uniform_(double from = 0, double to = 1)
    {
        Check.Status(NativeMethods.cnt_uniform_(Handle, from, to));
        return this;
    }

    /// <summary>Fills with normal random numbers N(mean, std²), in place.</summary>
    public Tensor normal_(double mean = 0, double std = 1)
    {
        if (!(std >= 0)) throw new ArgumentException($"normal_: std must be non-negative, got {std}", nameof(std));
        Check.Status(NativeMethods.cnt_normal_(Handle, mean, std));
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>, in place.</summary>
    public Tensor fill_(Scalar value)
    {
        Check.Status(NativeMethods.cnt_fill_(Handle, value.ToNative()));
        return this;
    }

    /// <summary>Sets every element to zero, in place.</summary>
    public Tensor zero_()
    {
        Check.Status(NativeMethods.cnt_zero_(Handle));
        return this;
    }

    /// <summary>
    /// PyTorch's <c>t.data = data</c>: this tensor object (and every handle to it, such as an
    /// optimizer's) now holds <paramref name="data"/>'s storage, shape, dtype and device.
    /// </summary>
    internal void SetData(Tensor data)
    {
        Check.Status(NativeMethods.cnt_tensor_set_data(Handle, data.Handle), "set_data");
        Handle.ReportHostMemory();
    }
}
