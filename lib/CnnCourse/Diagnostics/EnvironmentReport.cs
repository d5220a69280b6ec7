using System.Runtime.InteropServices;
using CnnCourse.Torch;

namespace CnnCourse.Diagnostics;

/// <summary>One fact about the environment, and whether it is a problem.</summary>
public sealed record EnvironmentCheck(string Name, string Value, bool IsProblem = false, string? Fix = null);

/// <summary>
/// What the course runs on: .NET, OS, libtorch and how it was built, the native libraries actually
/// loaded, threads, bf16 support, GPUs. Shown by `./course doctor` and the first notebook.
/// </summary>
public static class EnvironmentReport
{
    public static IReadOnlyList<EnvironmentCheck> Collect()
    {
        var checks = new List<EnvironmentCheck>
        {
            new(".NET", RuntimeInformation.FrameworkDescription),
            new("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
            new("CPU cores", Environment.ProcessorCount.ToString()),
            new("CPU bf16 instructions", CpuFlags().Contains("avx512_bf16") ? "yes (avx512_bf16)" :
                CpuFlags().Contains("amx_bf16") ? "yes (amx_bf16)" : "no (bf16 autocast will be slow)"),
        };
        try
        {
            checks.AddRange(TorchChecks());
        }
        catch (DllNotFoundException e)
        {
            checks.Add(new("libtorch", "not loadable: " + e.Message, IsProblem: true,
                Fix: "Run `./course setup` (installs Debian's libtorch-dev) and `./course build`."));
        }
        return checks;
    }

    private static IEnumerable<EnvironmentCheck> TorchChecks()
    {
        string version = torch.__version__;
        yield return new("libtorch version", version);
        yield return new("native shim", torch.config.shim_path ?? "(not loaded)");
        yield return new("shim build", torch.config.shim_build());
        var loaded = LoadedLibraries().Where(p => Path.GetFileName(p).StartsWith("libtorch", StringComparison.Ordinal) ||
                                                  Path.GetFileName(p).StartsWith("libc10", StringComparison.Ordinal)).ToList();
        yield return new("libtorch loaded from", loaded.Count == 0 ? "(unknown)" : string.Join(", ", loaded.Select(Path.GetDirectoryName).Distinct()));
        string buildDir = torch.config.shim_build().Split(" in ").Last().Trim();
        var torchCpu = loaded.FirstOrDefault(p => Path.GetFileName(p).StartsWith("libtorch_cpu", StringComparison.Ordinal));
        if (torchCpu is not null && !SameDirectory(Path.GetDirectoryName(torchCpu)!, buildDir))
            yield return new("libtorch mismatch", $"the shim was compiled against {buildDir} but {torchCpu} is loaded", IsProblem: true,
                Fix: "Rebuild the shim against the libtorch you run with: `./course build` (pass -p:Torch_DIR=... for a custom libtorch), or fix LD_LIBRARY_PATH.");
        yield return new("oneDNN (MKLDNN)", torch.backends.mkldnn.is_available() ? "yes" : "no");
        yield return new("CUDA in build", torch.config.has_cuda ? "yes" : "no");
        yield return new("intra-op threads", torch.get_num_threads().ToString());
        yield return new("inter-op threads", torch.get_num_interop_threads().ToString());
        bool cuda = torch.cuda.is_available();
        yield return new("CUDA available", cuda ? $"yes, {torch.cuda.device_count()} device(s)" : "no");
        if (cuda) yield return new("cuDNN available", torch.backends.cudnn.is_available() ? "yes" : "no");
        foreach (var gpu in NvidiaSmi()) yield return new("GPU", gpu);
        // Debian's libtorch is built against the generic BLAS interface: which library answers it
        // decides the speed of every linear layer.
        var blas = LoadedLibraries().FirstOrDefault(p => Path.GetFileName(p).StartsWith("libblas", StringComparison.Ordinal) ||
                                                         Path.GetFileName(p).StartsWith("libopenblas", StringComparison.Ordinal) ||
                                                         Path.GetFileName(p).StartsWith("libmkl", StringComparison.Ordinal));
        if (blas is not null)
        {
            bool reference = blas.Contains("/blas/", StringComparison.Ordinal);
            yield return new("BLAS", blas, IsProblem: reference,
                Fix: reference ? "The reference BLAS is about 10x slower than OpenBLAS: run `./course setup` (installs libopenblas0-openmp)." : null);
        }
    }

    private static bool SameDirectory(string a, string b)
    {
        static string Real(string p) => new DirectoryInfo(p).ResolveLinkTarget(true)?.FullName ?? Path.GetFullPath(p);
        return string.Equals(Real(a).TrimEnd('/'), Real(b).TrimEnd('/'), StringComparison.Ordinal);
    }

    private static IEnumerable<string> LoadedLibraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return Array.Empty<string>();
        return File.ReadLines(maps).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].EndsWith(".so", StringComparison.Ordinal) || f.Length >= 6 && f[5].Contains(".so.", StringComparison.Ordinal))
            .Select(f => f[5]).Distinct().ToList();
    }

    private static string CpuFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return "";
        return File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
    }

    private static IEnumerable<string> NvidiaSmi()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                "nvidia-smi", "--query-gpu=name,memory.total,driver_version --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null) return Array.Empty<string>();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return Array.Empty<string>(); // no nvidia-smi: no NVIDIA driver here
        }
    }
}
