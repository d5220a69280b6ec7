using CnnCourse.Diagnostics;

namespace CnnCourse.Tests.EnvironmentChecks;

// (Not "CnnCourse.Tests.Environment": that name would hide System.Environment in every test namespace.)

/// <summary>
/// `course doctor` (tools/CnnCourse.Doctor over <see cref="EnvironmentReport"/>): what it prints on
/// this machine, its exit code, the one-sentence fix for a missing libtorch, and the rule that finds
/// a shim compiled against another libtorch than the one loaded.
/// </summary>
public sealed class DoctorTests
{
    private static string DoctorDll()
    {
        // Built beside this test project (a ProjectReference without the assembly): same configuration.
        string configuration = Path.GetFileName(AppContext.BaseDirectory.TrimEnd('/'));
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "CnnCourse.Doctor", configuration, "CnnCourse.Doctor.dll"));
    }

    [Fact]
    public void Reports_this_machine_and_succeeds_when_nothing_is_missing()
    {
        var result = Repository.Run("dotnet", new[] { DoctorDll() });
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Value(string name) =>
            lines.Select(l => l[3..]).FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))?[name.Length..].Trim()
            ?? throw new Xunit.Sdk.XunitException($"doctor printed no '{name}' line:\n{result.Stdout}");

        Assert.StartsWith(".NET 10", Value(".NET"));
        Assert.Matches(@"^\d+\.\d+\.\d+", Value("libtorch version"));
        Assert.Matches(@"oneDNN (yes|no), CUDA (yes|no).*, cuDNN (yes|no)", Value("libtorch build"));
        Assert.EndsWith("libCnnCourseNative.so", Value("native shim"));
        Assert.StartsWith("compiled against libtorch", Value("shim build"));
        Assert.StartsWith("/", Value("libtorch loaded from"));
        Assert.Matches(@"^\d+$", Value("intra-op threads"));
        Assert.Matches(@"^(yes|no)", Value("CPU bf16 instructions"));
        Assert.Matches(@"^(yes, \d+ device\(s\)|no)$", Value("CUDA available"));
        if (Value("CUDA available").StartsWith("yes", StringComparison.Ordinal))
            Assert.Matches(@"GiB, compute capability \d+\.\d+", Value("GPU 0"));

        bool problems = lines.Any(l => l.StartsWith("!!", StringComparison.Ordinal));
        Assert.Equal(problems ? 1 : 0, result.ExitCode);
        if (!problems) Assert.Contains("doctor: everything the course needs is in place", result.Stdout);
        // Each problem or warning: one line on stderr, "doctor: <name>: <one sentence>".
        foreach (var line in result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.Matches(@"^doctor: (warning: )?[^:]+: [^\n]+[.)]$", line);
        Assert.Equal(0, result.ExitCode); // this machine (and CI, after `course setup`) has everything
    }

    [Fact]
    public void A_shim_that_cannot_load_fails_with_one_actionable_sentence()
    {
        string dir = Directory.CreateTempSubdirectory("broken-shim-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "libCnnCourseNative.so"), "not a shared library");
            var result = Repository.Run("dotnet", new[] { DoctorDll() }, new Dictionary<string, string?> { ["CNNCOURSE_NATIVE_DIR"] = dir });
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("!! libtorch", result.Stdout);
            var sentence = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("doctor: libtorch: Run `./course setup` (it installs Debian's libtorch-dev) and then `./course build`.", sentence);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_shim_built_against_another_libtorch_is_a_problem()
    {
        const string built = "compiled against libtorch 1.13.0 in /usr/lib/x86_64-linux-gnu";
        Assert.Null(EnvironmentReport.CheckShimMatch(built, "1.13.0", "/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13"));
        Assert.Null(EnvironmentReport.CheckShimMatch(built, null, null));

        var version = EnvironmentReport.CheckShimMatch(built, "2.11.0", "/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13");
        Assert.NotNull(version);
        Assert.True(version.IsProblem);
        Assert.Equal("the shim was compiled against libtorch 1.13.0 but 2.11.0 is loaded", version.Value);
        Assert.StartsWith("Rebuild the shim against the libtorch you run with", version.Fix);

        var place = EnvironmentReport.CheckShimMatch(built, "1.13.0", "/opt/torch/lib/libtorch_cpu.so");
        Assert.NotNull(place);
        Assert.Contains("/opt/torch/lib/libtorch_cpu.so is loaded", place.Value);
    }

    [Theory]
    [InlineData("1.13.0", "1.13.0", true)]
    [InlineData("2.11.0", "2.11.0+cu130", true)]
    [InlineData("2.11.0", "2.10.0", false)]
    public void Versions_compare_without_their_local_suffix(string a, string b, bool same) =>
        Assert.Equal(same, EnvironmentReport.SameVersion(a, b));

    [Fact]
    public void Build_settings_are_read_from_libtorchs_config()
    {
        const string config = "PyTorch built with:\n  - CUDA Runtime 13.0\n  - Build settings: BLAS_INFO=mkl, BUILD_TYPE=Release, TORCH_VERSION=2.11.0, USE_CUDA=ON, USE_CUDNN=ON, USE_MKLDNN=ON, \n";
        Assert.Equal("2.11.0", EnvironmentReport.BuildSetting(config, "TORCH_VERSION"));
        Assert.Equal("ON", EnvironmentReport.BuildSetting(config, "USE_CUDA"));
        Assert.Equal("mkl", EnvironmentReport.BuildSetting(config, "BLAS_INFO"));
        Assert.Null(EnvironmentReport.BuildSetting(config, "USE_ROCM"));
    }
}
