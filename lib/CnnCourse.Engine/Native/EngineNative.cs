using System.Reflection;
using System.Runtime.InteropServices;

namespace CnnCourse.Engine.Native;

/// <summary>The native helper's exports (native/src/autocast.cpp). Each returns 0, or -1 with a message.</summary>
internal static partial class EngineNative
{
    private const string Library = "CnnCourseEngine";

    static EngineNative() => NativeLibrary.SetDllImportResolver(typeof(EngineNative).Assembly, Resolve);

    // The helper sits beside this assembly wherever it was loaded from (a test, a tool, a notebook's #r).
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return IntPtr.Zero;
        var path = Path.Combine(TorchRuntime.AssemblyDirectory, "libCnnCourseEngine.so");
        if (!File.Exists(path))
            throw new DllNotFoundException($"The engine's native helper is missing: {path}. Build the course with `./course build`.");
        return NativeLibrary.Load(path);
    }

    [LibraryImport(Library)] private static partial IntPtr cnc_last_error();
    [LibraryImport(Library)] internal static partial int cnc_autocast_is_enabled(sbyte deviceType, [MarshalAs(UnmanagedType.U1)] out bool enabled);
    [LibraryImport(Library)] internal static partial int cnc_autocast_set_enabled(sbyte deviceType, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [LibraryImport(Library)] internal static partial int cnc_autocast_get_dtype(sbyte deviceType, out sbyte dtype);
    [LibraryImport(Library)] internal static partial int cnc_autocast_set_dtype(sbyte deviceType, sbyte dtype);
    [LibraryImport(Library)] internal static partial int cnc_autocast_increment_nesting(out int depth);
    [LibraryImport(Library)] internal static partial int cnc_autocast_decrement_nesting(out int depth);
    [LibraryImport(Library)] internal static partial int cnc_autocast_clear_cache();

    /// <summary>Throws with libtorch's message when a helper call failed.</summary>
    internal static void Check(int status, string operation)
    {
        if (status == 0) return;
        throw new InvalidOperationException($"{operation}: {Marshal.PtrToStringUTF8(cnc_last_error())}");
    }
}
