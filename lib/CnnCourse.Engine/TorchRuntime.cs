using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Engine;

/// <summary>How TorchSharp's native library came to be loaded.</summary>
public enum NativeLoadMode
{
    /// <summary>Not loaded (yet, or it failed: see <see cref="TorchRuntime.LoadError"/>).</summary>
    NotLoaded,
    /// <summary>Our copy, with its run path pointing at the libtorch package in the NuGet cache.</summary>
    Relocated,
    /// <summary>Our copy, also patched for a libstdc++ older than GCC 13's (Debian 12).</summary>
    GlibcxxCompat,
    /// <summary>TorchSharp found its natives by itself (a CUDA build, or natives beside the program).</summary>
    TorchSharpOwn,
}

/// <summary>
/// One-time start-up of the engine, run by this assembly's module initializer, so no program or
/// notebook has to remember it: glibc's allocator policy, TorchSharp's native library (the copy the
/// build prepared beside this assembly, see native/prepare-torchsharp-native.sh), and the thread count.
/// A program that calls TorchSharp before any course type still works: TorchSharp looks for its native
/// library beside TorchSharp.dll, where the build puts the same copy.
/// </summary>
public static class TorchRuntime
{
    private const string TorchSharpNativeFile = "libLibTorchSharp.so";
    private static readonly Lock Gate = new();
    private static bool attempted;

    /// <summary>The folder this assembly was loaded from; the native helper and our copy sit there.</summary>
    internal static string AssemblyDirectory =>
        Path.GetDirectoryName(typeof(TorchRuntime).Assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;

    public static NativeLoadMode LoadMode { get; private set; }

    /// <summary>The file TorchSharp's native library was loaded from, when we loaded it.</summary>
    public static string? NativeLibraryPath { get; private set; }

    /// <summary>Why the engine could not start, naming the cause and the fix; null when it started.</summary>
    public static string? LoadError { get; private set; }

    /// <summary>Whether this system's libstdc++ has GCC 13's GLIBCXX_3.4.32 (TorchSharp's natives need it).</summary>
    public static bool SystemLibStdCxxHasGcc13 => LibStdCxxHasGcc13.Value;

    private static readonly Lazy<bool> LibStdCxxHasGcc13 = new(() =>
        NativeLibrary.TryLoad("libstdc++.so.6", out var handle) &&
        NativeLibrary.TryGetExport(handle, "_ZSt21ios_base_library_initv", out _));

#pragma warning disable CA2255 // the engine must be ready before the first TorchSharp call of this assembly
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnModuleLoad() => TryInitialize();

    /// <summary>Starts the engine once; throws with the cause and the fix if it cannot.</summary>
    public static void Initialize()
    {
        if (!TryInitialize()) throw new InvalidOperationException(LoadError);
    }

    /// <summary>Starts the engine once; false (with <see cref="LoadError"/>) if it cannot.</summary>
    public static bool TryInitialize()
    {
        lock (Gate)
        {
            if (attempted) return LoadError is null;
            attempted = true;
            try
            {
                AllocatorPolicy.Apply(); // before libtorch's first allocation
                LoadTorchSharpNative();
                SetThreads();
            }
            catch (Exception e) when (e is DllNotFoundException or NotSupportedException or TypeInitializationException or InvalidOperationException)
            {
                LoadMode = NativeLoadMode.NotLoaded;
                LoadError ??= e.InnerException?.Message ?? e.Message;
            }
            return LoadError is null;
        }
    }

    private static void LoadTorchSharpNative()
    {
        var path = Path.Combine(AssemblyDirectory, TorchSharpNativeFile);
        if (File.Exists(path))
        {
            if (!NativeLibrary.TryLoad(path, out _))
            {
                var why = DescribeLoadFailure(path);
                LoadError = SystemLibStdCxxHasGcc13
                    ? $"TorchSharp's native library {path} did not load: {why}. Rebuild on this machine: `./course build`."
                    : $"TorchSharp's native library {path} did not load: {why}. This system's libstdc++ predates GCC 13 " +
                      "(no GLIBCXX_3.4.32, e.g. Debian 12); the build patches a copy of the library for it, and this copy was " +
                      "not patched. Rebuild on this machine with `./course build` (it needs patchelf: `./course setup`).";
                throw new InvalidOperationException(LoadError);
            }
            NativeLibraryPath = path;
            LoadMode = SystemLibStdCxxHasGcc13 ? NativeLoadMode.Relocated : NativeLoadMode.GlibcxxCompat;
        }
        else
        {
            LoadMode = NativeLoadMode.TorchSharpOwn;
        }
        // TorchSharp's own loader now finds the library already in the process (same file, same soname).
        torch.InitializeDeviceType(DeviceType.CPU);
    }

    // dlopen's own message says which library or symbol version was missing.
    private static string DescribeLoadFailure(string path)
    {
        try
        {
            NativeLibrary.Load(path);
            return "unknown reason";
        }
        catch (DllNotFoundException e)
        {
            return e.Message.Trim();
        }
    }

    private static void SetThreads()
    {
        // libtorch counts physical cores; use every core we are given unless the user chose a number.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
            torch.set_num_threads(Environment.ProcessorCount);
    }

    /// <summary>TorchSharp's version, e.g. "0.107.0".</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>libtorch's version, e.g. "2.10.0+cpu".</summary>
    public static string LibTorchVersion
    {
        get
        {
            Initialize();
            return torch.__version__;
        }
    }

    /// <summary>Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX); elsewhere libtorch emulates it.</summary>
    public static bool CpuHasNativeBFloat16 => CpuFlags.Value.Contains("avx512_bf16") || CpuFlags.Value.Contains("amx_bf16");

    private static readonly Lazy<HashSet<string>> CpuFlags = new(() =>
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return line is null ? [] : [.. line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (IOException)
        {
            return [];
        }
    });

    /// <summary>One line per fact, for `course doctor` and the first notebook.</summary>
    public static IReadOnlyList<(string Name, string Value)> Describe()
    {
        var ok = TryInitialize();
        var facts = new List<(string, string)>
        {
            ("TorchSharp", TorchSharpVersion),
            ("libtorch", ok ? torch.__version__ : "not loaded"),
            ("native load", LoadMode switch
            {
                NativeLoadMode.GlibcxxCompat => $"{NativeLibraryPath} (patched for a libstdc++ without GLIBCXX_3.4.32)",
                NativeLoadMode.Relocated => $"{NativeLibraryPath} (libtorch from the NuGet cache)",
                NativeLoadMode.TorchSharpOwn => "TorchSharp's own search (natives beside the program)",
                _ => $"failed: {LoadError}",
            }),
            ("threads", ok ? $"{torch.get_num_threads()} intra-op, {torch.get_num_interop_threads()} inter-op ({Environment.ProcessorCount} cores)" : "-"),
            ("bfloat16", CpuHasNativeBFloat16 ? "native on this CPU" : "emulated on this CPU (autocast works, slower than float32)"),
            ("CUDA", ok && torch.cuda.is_available() ? $"{torch.cuda.device_count()} device(s)" : "not available"),
            ("CPU allocator", AllocatorPolicy.Description),
        };
        return facts;
    }
}
