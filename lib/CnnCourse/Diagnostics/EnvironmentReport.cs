using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CnnCourse.Torch;

namespace CnnCourse.Diagnostics;

/// <summary>
/// One fact about the environment. A problem (something required is missing or broken) makes
/// `course doctor` fail; a warning is worth knowing (a GPU the engine cannot use) but not fatal.
/// <see cref="Fix"/> is one actionable sentence.
/// </summary>
public sealed record EnvironmentCheck(string Name, string Value, bool IsProblem = false, string? Fix = null, bool IsWarning = false);

/// <summary>
/// What the course runs on: .NET, OS, libtorch (version, build flags: oneDNN, CUDA, cuDNN), the
/// native libraries actually loaded, threads, bf16 support, GPUs with their memory. Shown by
/// `./course doctor` (exit code 1 when a problem is found) and the first notebook.
/// </summary>
public static partial class EnvironmentReport
{
    /// <summary>Prints every check to <paramref name="output"/> and one sentence per problem or warning
    /// to <paramref name="errors"/>; returns the exit code (0, or 1 when a problem was found).</summary>
    public static int Run(TextWriter output, TextWriter errors)
    {
        var checks = Collect();
        int width = checks.Max(c => c.Name.Length);
        foreach (var check in checks)
            output.WriteLine($"{(check.IsProblem ? "!!" : check.IsWarning ? " !" : "  ")} {check.Name.PadRight(width)}  {check.Value}");
        foreach (var check in checks.Where(c => c.IsWarning && !c.IsProblem))
            errors.WriteLine($"doctor: warning: {check.Name}: {check.Fix ?? check.Value}");
        var problems = checks.Where(c => c.IsProblem).ToList();
        foreach (var problem in problems)
            errors.WriteLine($"doctor: {problem.Name}: {problem.Fix ?? problem.Value}");
        if (problems.Count == 0) output.WriteLine("doctor: everything the course needs is in place");
        return problems.Count == 0 ? 0 : 1;
    }

    public static IReadOnlyList<EnvironmentCheck> Collect()
    {
        var checks = new List<EnvironmentCheck>
        {
            new(".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeEnvironment()})"),
            new("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
            new("CPU cores", Environment.ProcessorCount.ToString()),
            new("CPU bf16 instructions", CpuFlags().Contains("avx512_bf16") ? "yes (avx512_bf16)" :
                CpuFlags().Contains("amx_bf16") ? "yes (amx_bf16)" : "no (bf16 autocast on the CPU will be slow)"),
        };
        try
        {
            checks.AddRange(TorchChecks().ToList());
        }
        catch (Exception e) when (Unwrap(e) is DllNotFoundException missing)
        {
            checks.Add(new("libtorch", "not loadable: " + missing.Message, IsProblem: true,
                Fix: "Run `./course setup` (it installs Debian's libtorch-dev) and then `./course build`."));
        }
        catch (Exception e) when (Unwrap(e) is EntryPointNotFoundException stale)
        {
            checks.Add(new("native shim", "out of date: " + stale.Message, IsProblem: true,
                Fix: "The native shim is older than CnnCourse.Torch.dll: rebuild both with `./course build`."));
        }
        return checks;
    }

    // The engine's static initializer loads the shim, so a missing library arrives wrapped.
    private static Exception Unwrap(Exception e) => e is TypeInitializationException { InnerException: { } inner } ? Unwrap(inner) : e;

    private static IEnumerable<EnvironmentCheck> TorchChecks()
    {
        string config = torch.config.show();
        string shimBuild = torch.config.shim_build();
        string compiled = torch.__version__;
        string? loaded = BuildSetting(config, "TORCH_VERSION");
        yield return new("libtorch version", loaded is null || SameVersion(compiled, loaded) ? compiled : $"{loaded} loaded, {compiled} compiled against");
        yield return new("libtorch build", BuildSummary(config));
        yield return new("native shim", torch.config.shim_path ?? "(not loaded)");
        yield return new("shim build", shimBuild + (torch.config.shim_has_cuda ? ", with CUDA" : ", CPU only"));
        var libraries = LoadedLibraries();
        var torchLibs = libraries.Where(p => Name(p).StartsWith("libtorch", StringComparison.Ordinal) || Name(p).StartsWith("libc10", StringComparison.Ordinal)).ToList();
        yield return new("libtorch loaded from", torchLibs.Count == 0 ? "(unknown)" : string.Join(", ", torchLibs.Select(Path.GetDirectoryName).Distinct()));
        var cudaLibs = libraries.Where(p => Name(p).StartsWith("libcudart", StringComparison.Ordinal) || Name(p).StartsWith("libcudnn.so", StringComparison.Ordinal) ||
                                            Name(p).StartsWith("libcublas.so", StringComparison.Ordinal)).ToList();
        if (cudaLibs.Count > 0) yield return new("CUDA libraries loaded", string.Join(", ", cudaLibs));
        var torchCpu = torchLibs.FirstOrDefault(p => Name(p).StartsWith("libtorch_cpu", StringComparison.Ordinal));
        if (CheckShimMatch(shimBuild, loaded, torchCpu) is { } mismatch) yield return mismatch;

        yield return new("oneDNN (MKLDNN)", torch.backends.mkldnn.is_available() ? "yes" : "no");
        yield return new("intra-op threads", torch.get_num_threads().ToString());
        yield return new("inter-op threads", torch.get_num_interop_threads().ToString());
        yield return new("CPU allocator", torch.config.cpu_allocator);
        // Debian's libtorch calls the generic BLAS interface: which library answers decides the
        // speed of every linear layer.
        var blas = libraries.FirstOrDefault(p => Name(p).StartsWith("libblas", StringComparison.Ordinal) ||
                                                 Name(p).StartsWith("libopenblas", StringComparison.Ordinal) ||
                                                 Name(p).StartsWith("libmkl", StringComparison.Ordinal));
        if (blas is not null)
        {
            bool reference = blas.Contains("/blas/", StringComparison.Ordinal);
            yield return new("BLAS", blas, IsProblem: reference,
                Fix: reference ? "The reference BLAS is about 10x slower than OpenBLAS: run `./course setup`, which installs libopenblas0-openmp." : null);
        }

        bool cuda = torch.cuda.is_available();
        var smi = NvidiaSmi();
        yield return new("CUDA available", cuda ? $"yes, {torch.cuda.device_count()} device(s)" : "no");
        if (cuda)
        {
            yield return new("cuDNN available", torch.backends.cudnn.is_available() ? "yes" : "no");
            for (int i = 0; i < torch.cuda.device_count(); i++)
            {
                var p = torch.cuda.get_device_properties(i);
                yield return new($"GPU {i}", $"{p.name}, {p.total_memory / (double)(1L << 30):F1} GiB, compute capability {p.major}.{p.minor}, " +
                                             $"{p.multi_processor_count} SMs, bf16 {(p.major >= 8 ? "yes" : "no (float16 only)")}");
            }
        }
        foreach (var line in smi) yield return new("nvidia-smi", line);
        if (!cuda && smi.Count > 0)
            yield return new("GPU unused", "an NVIDIA GPU is present but libtorch cannot use it", IsWarning: true,
                Fix: torch.config.shim_has_cuda
                    ? "The shim has CUDA but sees no device: check the driver and that the container runs with --gpus all."
                    : "This libtorch is CPU-only: open the GPU devcontainer (.devcontainer/gpu) or build with `dotnet build -p:Torch_DIR=<CUDA libtorch>/share/cmake/Torch`.");
        else if (!cuda && torch.config.shim_has_cuda)
            yield return new("GPU unused", "the shim was built against a CUDA libtorch but no GPU is visible", IsWarning: true,
                Fix: "Check the NVIDIA driver (nvidia-smi) and that the container runs with --gpus all.");
    }

    /// <summary>
    /// A problem when the shim was compiled against another libtorch than the one loaded: a different
    /// version (<paramref name="loadedVersion"/>, from the loaded library's build settings) or another
    /// directory than the one recorded at build time (<paramref name="shimBuildInfo"/>: "compiled
    /// against libtorch X in DIR"). Null when they match or cannot be compared.
    /// </summary>
    public static EnvironmentCheck? CheckShimMatch(string shimBuildInfo, string? loadedVersion, string? loadedTorchCpu)
    {
        var m = ShimBuildPattern().Match(shimBuildInfo);
        if (!m.Success) return null;
        string compiledVersion = m.Groups[1].Value, buildDir = m.Groups[2].Value.Trim();
        const string fix = "Rebuild the shim against the libtorch you run with (`./course build`, with -p:Torch_DIR=... for your own libtorch), or fix LD_LIBRARY_PATH so the libtorch it was built against is loaded.";
        if (loadedVersion is not null && !SameVersion(compiledVersion, loadedVersion))
            return new("libtorch mismatch", $"the shim was compiled against libtorch {compiledVersion} but {loadedVersion} is loaded", IsProblem: true, Fix: fix);
        if (loadedTorchCpu is not null && !SameDirectory(Path.GetDirectoryName(loadedTorchCpu)!, buildDir))
            return new("libtorch mismatch", $"the shim was compiled against {buildDir} but {loadedTorchCpu} is loaded", IsProblem: true, Fix: fix);
        return null;
    }

    /// <summary>"1.13.0" and "1.13.0+cu117" are the same version; "2.11.0" and "2.10.0" are not.</summary>
    public static bool SameVersion(string a, string b)
    {
        static string Core(string v) => v.Trim().Split('+', ' ')[0];
        return string.Equals(Core(a), Core(b), StringComparison.Ordinal);
    }

    /// <summary>One value from at::show_config()'s "Build settings" line (TORCH_VERSION, USE_CUDA, ...).</summary>
    public static string? BuildSetting(string config, string key)
    {
        var m = Regex.Match(config, @"[\s,:]" + Regex.Escape(key) + @"=([^,\s]*)");
        return m.Success ? m.Groups[1].Value : null;
    }

    private static string BuildSummary(string config)
    {
        static string OnOff(string? v) => v is null ? "?" : v is "ON" or "1" ? "yes" : "no";
        var parts = new List<string>
        {
            "oneDNN " + OnOff(BuildSetting(config, "USE_MKLDNN")),
            "CUDA " + OnOff(BuildSetting(config, "USE_CUDA")) + VersionLine(config, @"CUDA Runtime ([\d.]+)"),
            // (show_config prints cuDNN 9.19 as "CuDNN 91.9", so no version here)
            "cuDNN " + OnOff(BuildSetting(config, "USE_CUDNN")),
            "BLAS " + (BuildSetting(config, "BLAS_INFO") ?? "?"),
        };
        return string.Join(", ", parts);
    }

    private static string VersionLine(string config, string pattern)
    {
        var m = Regex.Match(config, pattern);
        return m.Success ? $" {m.Groups[1].Value}" : "";
    }

    [GeneratedRegex(@"compiled against libtorch (\S+) in (.+)$")]
    private static partial Regex ShimBuildPattern();

    private static string Name(string path) => Path.GetFileName(path);

    private static string RuntimeEnvironment() => Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "?";

    private static bool SameDirectory(string a, string b) =>
        string.Equals(RealPath(a).TrimEnd('/'), RealPath(b).TrimEnd('/'), StringComparison.Ordinal);

    // /proc/self/maps names libraries by their resolved paths; resolve the recorded one likewise
    // (Debian's /lib is a link to /usr/lib).
    private static string RealPath(string path)
    {
        IntPtr resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return Path.GetFullPath(path);
        try { return Marshal.PtrToStringUTF8(resolved) ?? path; }
        finally { free(resolved); }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);

    private static List<string> LoadedLibraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return new List<string>();
        return File.ReadLines(maps).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && (f[5].EndsWith(".so", StringComparison.Ordinal) || f[5].Contains(".so.", StringComparison.Ordinal)))
            .Select(f => f[5]).Distinct().ToList();
    }

    /// <summary>
    /// Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX). Elsewhere libtorch emulates it,
    /// many times slower than float32, so lessons turn bf16 autocast on only where this is true.
    /// </summary>
    public static bool CpuHasNativeBFloat16 =>
        CpuFlags().Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(f => f is "avx512_bf16" or "amx_bf16");

    private static string CpuFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return "";
        return File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
    }

    private static List<string> NvidiaSmi()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                "nvidia-smi", "--query-gpu=name,memory.total,driver_version --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null) return new List<string>();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0) return new List<string>();
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new List<string>(); // no nvidia-smi: no NVIDIA driver here
        }
    }
}
