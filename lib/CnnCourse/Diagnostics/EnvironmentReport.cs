using System.Runtime.InteropServices;
using CnnCourse.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Diagnostics;

/// <summary>
/// One fact about the environment. A problem (something required is missing or broken) makes
/// `course doctor` fail; a warning is worth knowing (a GPU the engine cannot use) but not fatal.
/// <see cref="Fix"/> is one actionable sentence.
/// </summary>
public sealed record EnvironmentCheck(string Name, string Value, bool IsProblem = false, string? Fix = null, bool IsWarning = false);

/// <summary>
/// What the course runs on: .NET, OS, cores, and the engine as <see cref="TorchRuntime.Describe"/>
/// reports it (TorchSharp and libtorch versions, which load path is in use, threads, bf16 support,
/// CUDA, the allocator policy), the libtorch libraries actually mapped into the process, and the
/// GPUs nvidia-smi sees. Shown by `./course doctor` (exit code 1 when a problem is found) and the
/// first notebook.
/// </summary>
public static class EnvironmentReport
{
    /// <summary>Prints every check to <paramref name="output"/> and one sentence per problem or warning
    /// to <paramref name="errors"/>; returns the exit code (0, or 1 when a problem was found).</summary>
    public static int Run(TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var checks = Collect();
        int width = checks.Max(c => c.Name.Length);
        foreach (var check in checks)
            output.WriteLine($"{(check.IsProblem ? "!!" : check.IsWarning ? " !" : "  ")} {check.Name.PadRight(width)}  {OneLine(check.Value)}");
        foreach (var check in checks.Where(c => c.IsWarning && !c.IsProblem))
            errors.WriteLine($"doctor: warning: {check.Name}: {OneLine(check.Fix ?? check.Value)}");
        var problems = checks.Where(c => c.IsProblem).ToList();
        foreach (var problem in problems)
            errors.WriteLine($"doctor: {problem.Name}: {OneLine(problem.Fix ?? problem.Value)}");
        if (problems.Count == 0) output.WriteLine("doctor: everything the course needs is in place");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX). Elsewhere libtorch emulates it,
    /// many times slower than float32, so lessons turn bf16 autocast on only where this is true.
    /// </summary>
    public static bool CpuHasNativeBFloat16 => TorchRuntime.CpuHasNativeBFloat16;

    public static IReadOnlyList<EnvironmentCheck> Collect()
    {
        var checks = new List<EnvironmentCheck>
        {
            new(".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeEnvironment()})"),
            new("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
            new("CPU cores", Environment.ProcessorCount.ToString()),
        };
        // Describe starts the engine if nothing has yet; it touches libtorch only when that worked.
        foreach (var (name, value) in TorchRuntime.Describe())
        {
            // When the engine could not start, its message names the cause and the fix.
            bool failed = name == "native load" && TorchRuntime.LoadError is not null;
            checks.Add(new(name, value, IsProblem: failed, Fix: failed ? TorchRuntime.LoadError : null));
        }
        // Nothing below may touch TorchSharp when the engine did not start: TorchSharp's own fallback
        // would copy 600 MB of natives beside the program.
        if (TorchRuntime.LoadError is not null) return checks;

        // The forwarder beside TorchSharp.dll is mapped too, but it only names the package's library.
        var libraries = LoadedLibraries().Where(p => !IsForwarder(p)).ToList();
        var torchLibs = libraries.Where(p => Name(p).StartsWith("libtorch", StringComparison.Ordinal)
            || Name(p).StartsWith("libc10", StringComparison.Ordinal)).ToList();
        checks.Add(new("libtorch loaded from", torchLibs.Count == 0 ? "(unknown)" : string.Join(", ", torchLibs.Select(Path.GetDirectoryName).Distinct())));
        if (CheckOneLibTorch(libraries) is { } twice) checks.Add(twice);
        var cudaLibs = libraries.Where(p => Name(p).StartsWith("libcudart", StringComparison.Ordinal)
                                            || Name(p).StartsWith("libcudnn.so", StringComparison.Ordinal)
                                            || Name(p).StartsWith("libcublas.so", StringComparison.Ordinal)).ToList();
        if (cudaLibs.Count > 0) checks.Add(new("CUDA libraries loaded", string.Join(", ", cudaLibs)));

        bool cuda = torch.cuda.is_available();
        if (cuda) checks.Add(new("cuDNN available", torch.cuda.is_cudnn_available() ? "yes" : "no"));
        var smi = NvidiaSmiGpus();
        foreach (var line in smi) checks.Add(new("nvidia-smi", line));
        if (!cuda && smi.Count > 0)
            checks.Add(new("GPU unused", "an NVIDIA GPU is present but the engine cannot use it", IsWarning: true,
                Fix: TorchRuntime.LoadMode == NativeLoadMode.TorchSharpOwn
                    ? "The CUDA build sees no device: check the driver (nvidia-smi) and that the container runs with --gpus all."
                    : "This build uses TorchSharp-cpu: build with `./course build --cuda` " +
                        "(TorchSharp-cuda-linux) or open the GPU devcontainer (.devcontainer/gpu)."));
        return checks;
    }

    /// <summary>
    /// A problem when libtorch's CPU library is mapped from more than one folder of
    /// <paramref name="loadedLibraries"/> (paths, as /proc/self/maps lists them): two libtorch builds in
    /// one process (TorchSharp's package and a system libtorch found by a library search) give
    /// crashes and wrong results. Null when there is one, or none.
    /// </summary>
    public static EnvironmentCheck? CheckOneLibTorch(IEnumerable<string> loadedLibraries)
    {
        ArgumentNullException.ThrowIfNull(loadedLibraries);
        var folders = loadedLibraries.Where(p => Name(p).StartsWith("libtorch_cpu.so", StringComparison.Ordinal))
            .Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal).ToList();
        if (folders.Count <= 1) return null;
        return new("libtorch twice", $"libtorch_cpu is loaded from {string.Join(" and ", folders)}", IsProblem: true,
            Fix: "Two libtorch builds are in one process: start the engine before anything else loads " +
                "libtorch (reference CnnCourse, or call CnnCourse.Engine.TorchRuntime.Initialize() first), " +
                 "and take any system libtorch off LD_LIBRARY_PATH.");
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a libtorch_cpu.so that carries no code, only a needed-library
    /// entry naming the real one: the engine's forwarder beside TorchSharp.dll is a few KB, libtorch_cpu
    /// hundreds of MB.
    /// </summary>
    private static bool IsForwarder(string path) =>
        Name(path).StartsWith("libtorch_cpu.so", StringComparison.Ordinal) && File.Exists(path) && new FileInfo(path).Length < 1 << 20;

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Name(string path) => Path.GetFileName(path);

    private static string RuntimeEnvironment() => Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "?";

    private static List<string> LoadedLibraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return [];
        return File.ReadLines(maps).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && (f[5].EndsWith(".so", StringComparison.Ordinal) || f[5].Contains(".so.", StringComparison.Ordinal)))
            .Select(f => f[5]).Distinct().ToList();
    }

    /// <summary>
    /// One line per GPU that nvidia-smi sees: name, total memory, driver version (TorchSharp has no
    /// <c>cuda.get_device_name</c>). Empty where there is no nvidia-smi, hence no NVIDIA driver.
    /// </summary>
    public static IReadOnlyList<string> NvidiaSmiGpus()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                "nvidia-smi", "--query-gpu=name,memory.total,driver_version --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null) return [];
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0) return [];
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return []; // no nvidia-smi: no NVIDIA driver here
        }
    }
}
