using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

/// <summary>
/// Turns the shim's failure signals (a NULL tensor, a negative status) into managed exceptions
/// that name the C# operation and carry libtorch's message.
/// </summary>
internal static class Check
{
    /// <summary>Wraps a returned handle into a Tensor, or throws the recorded error.</summary>
    internal static Tensor Result(TensorHandle handle, [CallerMemberName] string operation = "")
    {
        if (handle.IsInvalid) throw LastError(operation);
        return new Tensor(handle);
    }

    internal static void Status(int status, [CallerMemberName] string operation = "")
    {
        if (status < 0) throw LastError(operation);
    }

    internal static long Value(long value, [CallerMemberName] string operation = "")
    {
        if (value < 0) throw LastError(operation);
        return value;
    }

    internal static TorchException LastError(string operation)
    {
        string message = Marshal.PtrToStringUTF8(NativeMethods.cnt_last_error()) ?? "";
        var kind = (TorchErrorKind)NativeMethods.cnt_last_error_kind();
        NativeMethods.cnt_clear_error();
        if (kind == TorchErrorKind.None)
        {
            kind = TorchErrorKind.Runtime;
            message = "the native call failed without recording an error";
        }
        return new TorchException(operation, kind, message);
    }
}
