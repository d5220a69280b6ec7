using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

/// <summary>
/// P/Invoke declarations of the native shim (include/cnt.h), split into files that mirror the
/// shim's sources (NativeMethods.Runtime.cs ↔ runtime.cpp, …).
/// </summary>
internal static partial class NativeMethods
{
    internal const string Lib = NativeLibraryResolver.LibraryName;

    internal const int Ok = 0;

    [DllImport(Lib)] internal static extern IntPtr cnt_last_error();
    [DllImport(Lib)] internal static extern int cnt_last_error_kind();
    [DllImport(Lib)] internal static extern void cnt_clear_error();
    [DllImport(Lib)] internal static extern void cnt_tensor_free(IntPtr tensor);
}

/// <summary>A scalar argument as the shim takes it (cnt_scalar).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeScalar
{
    public double D;
    public long I;
    public int Kind; // 0 double, 1 int64, 2 bool

    public static NativeScalar From(Scalar s) => s.ToNative();
}

/// <summary>
/// Borrows the native pointers of several tensors for one call (cat, stack, autograd.grad), keeping
/// each handle alive until disposed.
/// </summary>
internal readonly struct HandleArray : IDisposable
{
    private readonly SafeHandle?[] owners;
    public readonly IntPtr[] Pointers;

    public HandleArray(IReadOnlyList<Tensor?> tensors)
    {
        owners = new SafeHandle?[tensors.Count];
        Pointers = new IntPtr[tensors.Count];
        try
        {
            for (int i = 0; i < tensors.Count; i++)
            {
                if (tensors[i] is not { } t) continue;
                var h = t.Handle;
                bool added = false;
                h.DangerousAddRef(ref added);
                owners[i] = h;
                Pointers[i] = h.DangerousGetHandle();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Length => Pointers.Length;

    public void Dispose()
    {
        foreach (var h in owners) h?.DangerousRelease();
    }
}
