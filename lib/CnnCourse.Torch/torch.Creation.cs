using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Tensor creation: torch.zeros, torch.randn, torch.arange, torch.tensor(array), …
public static partial class torch
{
    private static (int dtype, int deviceType, int deviceIndex) Options(ScalarType? dtype, Device? device, ScalarType fallback = ScalarType.Float32)
    {
        var d = device ?? Device.CPU;
        return ((int)(dtype ?? fallback), (int)d.type, d.index);
    }

    private static long[] Shape(long[] size, [CallerMemberName] string operation = "")
    {
        ArgumentNullException.ThrowIfNull(size, nameof(size));
        foreach (var s in size)
            if (s < 0) throw new ArgumentException($"{operation}: negative dimension {s} in size [{string.Join(", ", size)}]", nameof(size));
        return size;
    }

    public static Tensor empty(params long[] size) => empty(size, null);
    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (t, dt, di) = Options(dtype, device);
        return Check.Result(NativeMethods.cnt_empty(Shape(size), size.Length, t, dt, di, requires_grad));
    }

    public static Tensor zeros(params long[] size) => zeros(size, null);
    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (t, dt, di) = Options(dtype, device);
        return Check.Result(NativeMethods.cnt_zeros(Shape(size), size.Length, t, dt, di, requires_grad));
    }

    public static Tensor ones(params long[] size) => ones(size, null);
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (t, dt, di) = Options(dtype, device);
        return Check.Result(NativeMethods.cnt_ones(Shape(size), size.Length, t, dt, di, requires_grad));
    }

    public static Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        // PyTorch infers the dtype from the fill value: an integer fill gives int64, a bool fill bool.
        var fallback = value.IsFloatingPoint ? ScalarType.Float32 : ScalarType.Int64;
        var (t, dt, di) = Options(dtype, device, fallback);
        return Check.Result(NativeMethods.cnt_full(Shape(size), size.Length, value.ToNative(), t, dt, di, requires_grad));
    }

    /// <summary>Uniform random numbers in [0, 1).</summary>
    public static Tensor rand(params long[] size) => rand(size, null);
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (t, dt, di) = Options(dtype, device);
        return Check.Result(NativeMethods.cnt_rand(Shape(size), size.Length, t, dt, di, requires_grad));
    }

    /// <summary>Standard normal random numbers.</summary>
    public static Tensor randn(params long[] size) => randn(size, null);
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (t, dt, di) = Options(dtype, device);
        return Check.Result(NativeMethods.cnt_randn(Shape(size), size.Length, t, dt, di, requires_grad));
    }

    /// <summary>Random integers in [low, high).</summary>
    public static Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var (t, dt, di) = Options(dtype, device, ScalarType.Int64);
        return Check.Result(NativeMethods.cnt_randint(low, high, Shape(size), size.Length, t, dt, di, false));
    }

    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) => randint(0, high, size, dtype, device);

    /// <summary>A random permutation of 0 … n-1.</summary>
    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null)
    {
        var (t, dt, di) = Options(dtype, device, ScalarType.Int64);
        return Check.Result(NativeMethods.cnt_randperm(n, t, dt, di, false));
    }

    /// <summary>Values from start (inclusive) to end (exclusive) by step; integer arguments give int64.</summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar? step = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var s = step ?? 1;
        bool floating = start.IsFloatingPoint || end.IsFloatingPoint || s.IsFloatingPoint;
        var (t, dt, di) = Options(dtype, device, floating ? ScalarType.Float32 : ScalarType.Int64);
        return Check.Result(NativeMethods.cnt_arange(start.ToNative(), end.ToNative(), s.ToNative(), t, dt, di, requires_grad));
    }

    public static Tensor arange(Scalar end, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(0, end, 1, dtype, device, requires_grad);

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (t, dt, di) = Options(dtype, device);
        return Check.Result(NativeMethods.cnt_linspace(start, end, steps, t, dt, di, requires_grad));
    }

    public static Tensor eye(long n, long? m = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (t, dt, di) = Options(dtype, device);
        return Check.Result(NativeMethods.cnt_eye(n, m ?? n, t, dt, di, requires_grad));
    }

    public static Tensor zeros_like(Tensor t) => Check.Result(NativeMethods.cnt_zeros_like(t.Handle));
    public static Tensor ones_like(Tensor t) => Check.Result(NativeMethods.cnt_ones_like(t.Handle));
    public static Tensor empty_like(Tensor t) => Check.Result(NativeMethods.cnt_empty_like(t.Handle));
    public static Tensor full_like(Tensor t, Scalar value) => Check.Result(NativeMethods.cnt_full_like(t.Handle, value.ToNative()));
    public static Tensor rand_like(Tensor t) => Check.Result(NativeMethods.cnt_rand_like(t.Handle));
    public static Tensor randn_like(Tensor t) => Check.Result(NativeMethods.cnt_randn_like(t.Handle));

    /// <summary>A tensor holding a copy of <paramref name="data"/>, shaped <paramref name="shape"/> (default: 1-D).</summary>
    public static Tensor tensor<T>(T[] data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, shape ?? new long[] { data.Length }, dtype, device, requires_grad);
    }

    /// <summary>A tensor from a span of values, shaped <paramref name="shape"/>.</summary>
    public static Tensor tensor<T>(ReadOnlySpan<T> data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged => FromSpan(data, shape, dtype, device, requires_grad);

    /// <summary>A tensor from a rectangular .NET array (float[,], double[,,], …), keeping its shape.</summary>
    public static Tensor tensor(Array data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var elementType = data.GetType().GetElementType()!;
        var shape = Enumerable.Range(0, data.Rank).Select(d => (long)data.GetLength(d)).ToArray();
        var source = ScalarTypeExtensions.FromClrType(elementType);
        var bytes = new byte[data.Length * source.ElementSize()];
        if (elementType == typeof(bool) || elementType == typeof(Half))
        {
            // Buffer.BlockCopy takes primitive arrays only; copy these element by element.
            int i = 0, size = source.ElementSize();
            foreach (var value in data)
            {
                if (value is bool b) bytes[i] = b ? (byte)1 : (byte)0;
                else BitConverter.TryWriteBytes(bytes.AsSpan(i, size), (Half)value);
                i += size;
            }
        }
        else Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return FromBytes(bytes, shape, source, dtype, device, requires_grad);
    }

    /// <summary>A 0-dimensional tensor holding one value.</summary>
    public static Tensor tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan<double>(new[] { value }, Array.Empty<long>(), dtype ?? ScalarType.Float32, device, requires_grad);

    public static Tensor tensor(float value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan<float>(new[] { value }, Array.Empty<long>(), dtype, device, requires_grad);

    public static Tensor tensor(long value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan<long>(new[] { value }, Array.Empty<long>(), dtype, device, requires_grad);

    public static Tensor tensor(int value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor((long)value, dtype, device, requires_grad);

    public static Tensor tensor(bool value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan<bool>(new[] { value }, Array.Empty<long>(), dtype, device, requires_grad);

    /// <summary>
    /// A tensor from raw little-endian bytes of <paramref name="source"/> dtype (bfloat16 too), as
    /// stored in safetensors and PyTorch checkpoints.
    /// </summary>
    public static Tensor frombuffer(ReadOnlySpan<byte> bytes, long[] shape, ScalarType source, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromBytes(bytes, shape, source, dtype, device, requires_grad);

    private static Tensor FromSpan<T>(ReadOnlySpan<T> data, long[] shape, ScalarType? dtype, Device? device, bool requires_grad) where T : unmanaged =>
        FromBytes(MemoryMarshal.AsBytes(data), shape, ScalarTypeExtensions.FromClrType(typeof(T)), dtype, device, requires_grad);

    private static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, long[] shape, ScalarType source, ScalarType? dtype, Device? device, bool requires_grad,
                                           [CallerMemberName] string operation = "")
    {
        Shape(shape, operation);
        long count = 1;
        foreach (var s in shape) count = checked(count * s);
        if (count * source.ElementSize() != bytes.Length)
            throw new ArgumentException($"{operation}: {bytes.Length / source.ElementSize()} values do not fill shape [{string.Join(", ", shape)}] ({count} values)");
        var target = dtype ?? source;
        var d = device ?? Device.CPU;
        bool direct = target == source;
        Tensor created;
        fixed (byte* p = bytes)
        {
            created = Check.Result(NativeMethods.cnt_from_data(p, shape, shape.Length, (int)source,
                (int)(direct ? d.type : DeviceType.CPU), direct ? d.index : -1, direct && requires_grad), operation);
        }
        if (direct) return created;
        using (created)
        {
            var converted = created.to(target, d);
            if (requires_grad) converted.requires_grad = true;
            return converted;
        }
    }
}
