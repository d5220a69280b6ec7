using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

/// <summary>
/// Finds libCnnCourseNative.so beside this assembly, wherever the assembly was loaded from: a test
/// run, a CLI, or a notebook that references the dll by a relative path.
/// </summary>
internal static class NativeLibraryResolver
{
    internal const string LibraryName = "CnnCourseNative";
    private const string FileName = "libCnnCourseNative.so";
    private static string? loadedFrom;

    /// <summary>The full path the native shim was loaded from, once loaded.</summary>
    internal static string? LoadedFrom => loadedFrom;

    // The resolver must be in place before the first P/Invoke of this assembly, whoever makes it.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        var tried = new List<string>();
        foreach (var directory in CandidateDirectories(assembly))
        {
            var path = Path.Combine(directory, FileName);
            tried.Add(path);
            if (!File.Exists(path)) continue;
            if (NativeLibrary.TryLoad(path, out var library))
            {
                loadedFrom = path;
                return library;
            }
            // The file is there but would not load: most often libtorch itself is missing.
            try { return NativeLibrary.Load(path); }
            catch (Exception e)
            {
                throw new DllNotFoundException(
                    $"{path} exists but could not be loaded ({e.Message}). Is libtorch installed? Run `./course setup`.", e);
            }
        }
        throw new DllNotFoundException(
            $"The CnnCourse native shim ({FileName}) was not found. Looked in: {string.Join(", ", tried)}. " +
            "Build it with `./course build` (or `dotnet build`), which compiles it next to CnnCourse.Torch.dll.");
    }

    private static IEnumerable<string> CandidateDirectories(Assembly assembly)
    {
        var overrideDir = Environment.GetEnvironmentVariable("CNNCOURSE_NATIVE_DIR");
        if (!string.IsNullOrEmpty(overrideDir)) yield return overrideDir;
        if (!string.IsNullOrEmpty(assembly.Location)) yield return Path.GetDirectoryName(assembly.Location)!;
        yield return AppContext.BaseDirectory;
    }
}
