using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

/// <summary>
/// Wraps results that come back as several handles: a (values, indices) pair through two
/// out-parameters, or a list of pieces written into an array (split, chunk, where).
/// </summary>
internal static class NativeResults
{
    /// <summary>A native call that writes up to <c>capacity</c> handles into <c>output</c>.</summary>
    internal delegate int ListCall(IntPtr[] output, int capacity, out int count);

    /// <summary>Two handles from a call that returned <paramref name="status"/>, as tensors; throws on failure.</summary>
    internal static (Tensor, Tensor) Pair(int status, TensorHandle first, TensorHandle second, [CallerMemberName] string operation = "")
    {
        if (status < 0)
        {
            first.Dispose();
            second.Dispose();
            throw Check.LastError(operation);
        }
        return (new Tensor(first), new Tensor(second));
    }

    /// <summary>Runs <paramref name="call"/> with room for <paramref name="capacity"/> handles and wraps what it wrote.</summary>
    internal static Tensor[] List(int capacity, ListCall call, [CallerMemberName] string operation = "")
    {
        var raw = new IntPtr[Math.Max(capacity, 0)];
        int status = call(raw, raw.Length, out int count);
        if (status < 0) throw Check.LastError(operation);
        // Every handle the shim wrote is owned now: wrap them all before anything else can fail.
        var handles = new TensorHandle[count];
        for (int i = 0; i < count; i++)
        {
            handles[i] = new TensorHandle();
            Marshal.InitHandle(handles[i], raw[i]);
        }
        var result = new Tensor[count];
        for (int i = 0; i < count; i++) result[i] = new Tensor(handles[i]);
        return result;
    }
}
