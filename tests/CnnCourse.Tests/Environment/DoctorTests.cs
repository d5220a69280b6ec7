using CnnCourse.Diagnostics;

namespace CnnCourse.Tests.EnvironmentChecks;

// (Not "CnnCourse.Tests.Environment": that name would hide System.Environment in every test namespace.)

/// <summary>
/// `course doctor` (tools/CnnCourse.Doctor over <see cref="EnvironmentReport"/>, which reports the
/// engine through CnnCourse.Engine.TorchRuntime.Describe()): what it prints on this machine, its
/// exit code, the one-sentence fix when TorchSharp's native library cannot load, and the rule that
/// finds two libtorch builds in one process.
/// </summary>
public sealed class DoctorTests
{
    private static string DoctorDirectory()
    {
        // Built beside this test project (a ProjectReference without the assembly): same configuration.
        string configuration = Path.GetFileName(AppContext.BaseDirectory.TrimEnd('/'));
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "CnnCourse.Doctor", configuration));
    }

    private static string DoctorDll() => Path.Combine(DoctorDirectory(), "CnnCourse.Doctor.dll");

    [Fact]
    public void Reports_this_machine_and_succeeds_when_nothing_is_missing()
    {
        var result = Repository.Run("dotnet", new[] { DoctorDll() });
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Value(string name) =>
            lines.Select(l => l[3..]).FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))?[name.Length..].Trim()
            ?? throw new Xunit.Sdk.XunitException($"doctor printed no '{name}' line:\n{result.Stdout}");

        Assert.StartsWith(".NET 10", Value(".NET"));
        Assert.Matches(@"^\d+$", Value("CPU cores"));
        Assert.Matches(@"^0\.107\.\d+$", Value("TorchSharp"));
        Assert.Matches(@"^2\.10\.\d+", Value("libtorch"));
        // One process, one engine: the prepared copy of TorchSharp's native library, by its full path.
        Assert.Matches(@"^/\S+/libLibTorchSharp\.so \((libtorch from the NuGet cache|patched for a libstdc\+\+ without GLIBCXX_3\.4\.32)\)$",
            Value("native load"));
        Assert.Matches(@"^\d+ intra-op, \d+ inter-op \(\d+ cores\)$", Value("threads"));
        Assert.Matches(@"^(native on this CPU|emulated on this CPU)", Value("bfloat16"));
        Assert.Matches(@"^(\d+ device\(s\)|not available)$", Value("CUDA"));
        Assert.NotEmpty(Value("CPU allocator"));
        Assert.StartsWith("/", Value("libtorch loaded from"));
        Assert.DoesNotContain(",", Value("libtorch loaded from")); // one libtorch folder: the package's
        Assert.DoesNotContain(lines, l => l.Contains("TorchSharp engine (the course's next engine)", StringComparison.Ordinal)); // no second process any more

        bool problems = lines.Any(l => l.StartsWith("!!", StringComparison.Ordinal));
        Assert.Equal(problems ? 1 : 0, result.ExitCode);
        if (!problems) Assert.Contains("doctor: everything the course needs is in place", result.Stdout);
        // Each problem or warning: one line on stderr, "doctor: <name>: <one sentence>".
        foreach (var line in result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.Matches(@"^doctor: (warning: )?[^:]+: [^\n]+[.)]$", line);
        Assert.Equal(0, result.ExitCode); // this machine (and CI, after `course setup`) has everything
    }

    [Fact]
    public void A_native_library_that_cannot_load_fails_with_one_actionable_sentence()
    {
        // A copy of the doctor whose libLibTorchSharp.so is not a shared library.
        string dir = Directory.CreateTempSubdirectory("broken-engine-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(DoctorDirectory()))
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            File.WriteAllText(Path.Combine(dir, "libLibTorchSharp.so"), "not a shared library");
            var result = Repository.Run("dotnet", new[] { Path.Combine(dir, "CnnCourse.Doctor.dll") });
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("!! native load", result.Stdout);
            Assert.Contains("libtorch ", result.Stdout); // still printed: "not loaded"
            var sentence = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"doctor: native load: TorchSharp's native library {Path.Combine(dir, "libLibTorchSharp.so")} did not load: ", sentence);
            Assert.Contains("`./course build`", sentence); // the fix
            Assert.Matches(@"[.)]$", sentence);
            // TorchSharp's own fallback (copying its natives beside the program) never ran.
            Assert.False(Directory.Exists(Path.Combine(dir, "cpu")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Two_libtorch_builds_in_one_process_are_a_problem()
    {
        const string package = "/root/.nuget/packages/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native";
        Assert.Null(EnvironmentReport.CheckOneLibTorch(new[] { $"{package}/libtorch_cpu.so", $"{package}/libc10.so", "/usr/lib/x86_64-linux-gnu/libc.so.6" }));
        Assert.Null(EnvironmentReport.CheckOneLibTorch(Array.Empty<string>()));

        var twice = EnvironmentReport.CheckOneLibTorch(new[] { $"{package}/libtorch_cpu.so", "/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13" });
        Assert.NotNull(twice);
        Assert.True(twice.IsProblem);
        Assert.Equal($"libtorch_cpu is loaded from {package} and /usr/lib/x86_64-linux-gnu", twice.Value);
        Assert.StartsWith("Two libtorch builds are in one process", twice.Fix);
        Assert.EndsWith(".", twice.Fix);
    }
}
