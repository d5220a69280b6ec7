using System.Runtime.CompilerServices;
using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

/// <summary>
/// A tensor held by libtorch. Dispose it, or create it inside a <see cref="DisposeScope"/>, to
/// free its memory deterministically; the finalizer is only a safety net.
/// </summary>
[Display.TypeFormatterSource(typeof(Display.PrintedFormSource), PreferredMimeTypes = new[] { "text/plain" })]
public partial class Tensor : IDisposable
{
    private static long liveCount;
    private TensorHandle? handle;

    internal Tensor(TensorHandle handle)
    {
        this.handle = handle;
        Interlocked.Increment(ref liveCount);
        handle.ReportHostMemory();
        DisposeScope.Register(this);
    }

    /// <summary>Native tensor references currently alive in this process (all threads).</summary>
    public static long LiveCount => Interlocked.Read(ref liveCount);

    internal static void OnNativeRelease() => Interlocked.Decrement(ref liveCount);

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal DisposeScope? OwningScope { get; set; }

    internal TensorHandle Handle => handle ?? throw new ObjectDisposedException(
        nameof(Tensor), "This tensor was disposed (by Dispose() or by its dispose scope) and can no longer be used.");

    public bool IsDisposed => handle is null;

    public void Dispose()
    {
        var h = handle;
        if (h is null) return;
        handle = null;
        OwningScope = null;
        h.Dispose();
        DisposeScope.OnDisposed();
        GC.SuppressFinalize(this);
    }

    /// <summary>Keeps this tensor alive past the current dispose scope (it joins the outer one).</summary>
    public Tensor MoveToOuterDisposeScope() => OwningScope?.MoveToOuter(this) ?? this;

    /// <summary>Takes this tensor out of its dispose scope: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope() => OwningScope?.Detach(this) ?? this;

    // ---- properties ------------------------------------------------------------------------

    public long[] shape => Dims(strides: false);

    public long[] stride() => Dims(strides: true);

    public long stride(int dim) => stride()[NormalizeDim(dim)];

    public long size(int dim) => shape[NormalizeDim(dim)];

    public int dim() => (int)Check.Value(NativeMethods.cnt_tensor_dim(Handle));

    public int ndim => dim();

    public long numel() => Check.Value(NativeMethods.cnt_tensor_numel(Handle));

    public long element_size() => dtype.ElementSize();

    public long storage_offset() => Check.Value(NativeMethods.cnt_tensor_storage_offset(Handle));

    public ScalarType dtype => (ScalarType)Check.Value(NativeMethods.cnt_tensor_dtype(Handle));

    public Device device => new((DeviceType)Check.Value(NativeMethods.cnt_tensor_device_type(Handle)),
                                NativeMethods.cnt_tensor_device_index(Handle));

    public DeviceType device_type => device.type;

    public bool is_cuda => device_type == DeviceType.CUDA;

    public bool is_contiguous(MemoryFormat format = MemoryFormat.Contiguous) =>
        NativeMethods.cnt_tensor_is_contiguous(Handle, (int)format);

    public bool is_leaf => NativeMethods.cnt_tensor_is_leaf(Handle);

    public bool requires_grad
    {
        get => NativeMethods.cnt_tensor_requires_grad(Handle);
        set => Check.Status(NativeMethods.cnt_tensor_set_requires_grad(Handle, value));
    }

    /// <summary>Sets requires_grad in place and returns this tensor (PyTorch's requires_grad_).</summary>
    public Tensor requires_grad_(bool requiresGrad = true)
    {
        requires_grad = requiresGrad;
        return this;
    }

    internal int NormalizeDim(int dim)
    {
        int n = this.dim();
        int d = dim < 0 ? dim + n : dim;
        if (d < 0 || d >= Math.Max(n, 1))
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-Math.Max(n, 1)}, {Math.Max(n, 1) - 1}], but got {dim})");
        return d;
    }

    private unsafe long[] Dims(bool strides)
    {
        var h = Handle;
        Span<long> buffer = stackalloc long[16];
        int n;
        fixed (long* p = buffer)
            n = strides ? NativeMethods.cnt_tensor_strides(h, p, buffer.Length) : NativeMethods.cnt_tensor_sizes(h, p, buffer.Length);
        Check.Status(n, strides ? nameof(stride) : nameof(shape));
        if (n <= buffer.Length) return buffer[..n].ToArray();
        var large = new long[n];
        fixed (long* p = large)
            Check.Status(strides ? NativeMethods.cnt_tensor_strides(h, p, n) : NativeMethods.cnt_tensor_sizes(h, p, n));
        return large;
    }

    // ---- autograd ----------------------------------------------------------------------------

    /// <summary>The accumulated gradient, or null when there is none.</summary>
    public Tensor? grad
    {
        get
        {
            Check.Status(NativeMethods.cnt_tensor_grad(Handle, out var g));
            if (!g.IsInvalid) return new Tensor(g);
            g.Dispose();
            return null;
        }
        set => Check.Status(NativeMethods.cnt_tensor_set_grad(Handle, value?.Handle ?? TensorHandle.Null));
    }

    /// <summary>Computes gradients of this tensor with respect to the graph's leaves.</summary>
    public void backward(Tensor? gradient = null, bool? retain_graph = null, bool create_graph = false) =>
        Check.Status(NativeMethods.cnt_backward(Handle, gradient?.Handle ?? TensorHandle.Null,
            retain_graph is null ? -1 : retain_graph.Value ? 1 : 0, create_graph));

    public Tensor detach() => Check.Result(NativeMethods.cnt_detach(Handle));

    public Tensor detach_()
    {
        Check.Status(NativeMethods.cnt_detach_(Handle));
        return this;
    }

    // ---- conversion --------------------------------------------------------------------------

    /// <summary>A second tensor object for the same data (a new reference; disposing one leaves the other usable).</summary>
    public Tensor alias() => Check.Result(NativeMethods.cnt_tensor_alias(Handle));

    public Tensor clone() => Check.Result(NativeMethods.cnt_clone(Handle));

    public Tensor contiguous(MemoryFormat memory_format = MemoryFormat.Contiguous) =>
        Check.Result(NativeMethods.cnt_contiguous(Handle, (int)memory_format));

    public Tensor to(ScalarType type, bool non_blocking = false, bool copy = false) => to(type, device, non_blocking, copy);

    public Tensor to(Device target, bool non_blocking = false, bool copy = false) => to(dtype, target, non_blocking, copy);

    public Tensor to(ScalarType type, Device target, bool non_blocking = false, bool copy = false) =>
        Check.Result(NativeMethods.cnt_to(Handle, (int)type, (int)target.type, target.index, non_blocking, copy));

    public Tensor to(Tensor other) => to(other.dtype, other.device);

    public Tensor cpu() => to(Device.CPU);

    public Tensor cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));

    public Tensor @float() => to(ScalarType.Float32);
    public Tensor @double() => to(ScalarType.Float64);
    public Tensor @long() => to(ScalarType.Int64);
    public Tensor @int() => to(ScalarType.Int32);
    public Tensor @bool() => to(ScalarType.Bool);
    public Tensor half() => to(ScalarType.Float16);
    public Tensor bfloat16() => to(ScalarType.BFloat16);

    /// <summary>Copies <paramref name="source"/> into this tensor (broadcasting), in place.</summary>
    public Tensor copy_(Tensor source)
    {
        Check.Status(NativeMethods.cnt_copy_(Handle, source.Handle));
        return this;
    }

    // ---- values ------------------------------------------------------------------------------

    /// <summary>The value of a one-element tensor, converted to T.</summary>
    public T item<T>() where T : unmanaged
    {
        Check.Status(NativeMethods.cnt_tensor_item(Handle, out var s));
        var value = Scalar.FromNative(s);
        object boxed = typeof(T) == typeof(float) ? (float)value.ToDouble() :
            typeof(T) == typeof(double) ? value.ToDouble() :
            typeof(T) == typeof(long) ? value.ToInt64() :
            typeof(T) == typeof(int) ? checked((int)value.ToInt64()) :
            typeof(T) == typeof(bool) ? value.ToDouble() != 0 :
            typeof(T) == typeof(byte) ? checked((byte)value.ToInt64()) :
            throw new NotSupportedException($"item<{typeof(T).Name}> is not supported; use float, double, long, int, bool or byte");
        return (T)boxed;
    }

    public float ToSingle() => item<float>();
    public double ToDouble() => item<double>();
    public long ToInt64() => item<long>();
    public bool ToBoolean() => item<bool>();

    /// <summary>
    /// The values in row-major order as a new array. T must match the dtype (float for float32,
    /// long for int64, …); convert first with <see cref="to(ScalarType, bool, bool)"/> otherwise.
    /// </summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var expected = ScalarTypeExtensions.FromClrType(typeof(T));
        var actual = dtype;
        if (expected != actual)
            throw new InvalidOperationException($"ToArray<{typeof(T).Name}>: the tensor's dtype is {actual.TorchName()}, not {expected.TorchName()}; convert it first with .to(ScalarType.{expected})");
        var result = new T[numel()];
        fixed (T* p = result)
            Check.Status(NativeMethods.cnt_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)), nameof(ToArray));
        return result;
    }

    /// <summary>The values as raw bytes in the tensor's dtype, row-major (for serialization).</summary>
    public unsafe byte[] ToBytes()
    {
        long nbytes = Check.Value(NativeMethods.cnt_tensor_nbytes(Handle));
        var result = new byte[nbytes];
        fixed (byte* p = result)
            Check.Status(NativeMethods.cnt_tensor_copy_to(Handle, p, nbytes), nameof(ToBytes));
        return result;
    }

    /// <summary>Overwrites the values from raw bytes in the tensor's dtype, row-major.</summary>
    public unsafe Tensor CopyFromBytes(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
            Check.Status(NativeMethods.cnt_tensor_copy_from(Handle, p, bytes.Length), nameof(CopyFromBytes));
        return this;
    }

    /// <summary>The values as doubles, whatever the dtype (for printing and analysis).</summary>
    public double[] ToDoubleArray()
    {
        if (dtype == ScalarType.Float64) return ToArray<double>();
        using var converted = to(ScalarType.Float64);
        return converted.ToArray<double>();
    }

    public override string ToString() => TensorFormatter.Format(this);
}

/// <summary>Memory layouts (PyTorch's torch.memory_format).</summary>
public enum MemoryFormat
{
    Contiguous = 0,
    ChannelsLast = 1,
    Preserve = 2,
}
