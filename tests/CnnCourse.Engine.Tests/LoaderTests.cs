using System.Diagnostics;
using CnnCourse.Engine;

namespace CnnCourse.Engine.Tests;

public class LoaderTests
{
    private static readonly string EngineDirectory = Path.GetDirectoryName(typeof(TorchRuntime).Assembly.Location)!;

    private static string LoadCheckDll =>
        Path.GetFullPath(Path.Combine(EngineDirectory, "..", "..", "EngineLoadCheck", Path.GetFileName(EngineDirectory), "EngineLoadCheck.dll"));

    private static (int Code, string Output) Run(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void A_program_that_calls_TorchSharp_before_any_course_type_runs_in_a_fresh_process()
    {
        var (code, output) = Run(LoadCheckDll);
        Assert.True(code == 0, output);
        Assert.Contains("engine loaded before TorchSharp: False", output);
        Assert.Contains("conv: 4,3,4,2,4,3,2,3,4", output);
        var expected = TorchRuntime.SystemLibStdCxxHasGcc13 ? NativeLoadMode.Relocated : NativeLoadMode.GlibcxxCompat;
        Assert.Contains($"mode: {expected}", output);
        Assert.Contains("libtorch: 2.10.0", output);
        // libtorch is used where NuGet put it, not copied into the program's folder.
        // libtorch is used where NuGet put it, not copied into the program's folder, and no system
        // libtorch (Debian's libtorch-dev, for the old binding) is mapped beside it.
        var mapped = output.Split('\n').Single(l => l.StartsWith("libtorch_cpu.so from ",
            StringComparison.Ordinal))["libtorch_cpu.so from ".Length..].Split(" and ");
        Assert.Contains(mapped, path => path.Contains("/libtorch-cpu-linux-x64/", StringComparison.Ordinal));
        Assert.All(mapped, path => Assert.True(path.Contains("/libtorch-cpu-linux-x64/", StringComparison.Ordinal) ||
                                               path == Path.Combine(Path.GetDirectoryName(LoadCheckDll)!, "libtorch_cpu.so"), path));
    }

    [Fact]
    public void This_process_loaded_the_prepared_copy()
    {
        Assert.True(TorchRuntime.TryInitialize(), TorchRuntime.LoadError);
        Assert.Equal(Path.Combine(EngineDirectory, "libLibTorchSharp.so"), TorchRuntime.NativeLibraryPath);
        Assert.Equal(TorchRuntime.SystemLibStdCxxHasGcc13 ? NativeLoadMode.Relocated : NativeLoadMode.GlibcxxCompat, TorchRuntime.LoadMode);
        Assert.Equal(Environment.ProcessorCount, TorchSharp.torch.get_num_threads());
    }

    [Fact]
    public void Build_outputs_hold_no_copy_of_libtorch()
    {
        foreach (var dir in new[] { EngineDirectory, Path.GetDirectoryName(LoadCheckDll)! })
        {
            // libtorch_cpu.so there is only the forwarder to the package's file.
            Assert.True(new FileInfo(Path.Combine(dir, "libtorch_cpu.so")).Length < 1 << 20, dir);
            // TorchSharp's fallback copies every native into a cpu/ folder when its first load fails.
            Assert.False(Directory.Exists(Path.Combine(dir, "cpu")), dir);
            Assert.True(new FileInfo(Path.Combine(dir, "libLibTorchSharp.so")).Length < 16 << 20);
        }
    }

    [Fact]
    public void An_unprepared_library_gives_an_error_naming_the_cause_and_the_fix()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var pristine = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(pristine), pristine);
        var copy = Directory.CreateTempSubdirectory("engine-load-");
        try
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(LoadCheckDll)!))
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
            File.Copy(pristine, Path.Combine(copy.FullName, "libLibTorchSharp.so"), overwrite: true);
            // --engine-first: the engine starts before TorchSharp, whose own fallback would copy 600 MB.
            var (code, output) = Run(Path.Combine(copy.FullName, "EngineLoadCheck.dll"), "--engine-first");
            Assert.NotEqual(0, code);
            Assert.Contains("did not load", output);
            Assert.Contains("./course build", output);
            if (!TorchRuntime.SystemLibStdCxxHasGcc13) Assert.Contains("GLIBCXX_3.4.32", output);
            Assert.False(Directory.Exists(Path.Combine(copy.FullName, "cpu")));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}
