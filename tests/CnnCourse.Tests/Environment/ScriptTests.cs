namespace CnnCourse.Tests.EnvironmentChecks;

// (Not "CnnCourse.Tests.Environment": that name would hide System.Environment in every test namespace.)

/// <summary>
/// The entry scripts: they parse (`bash -n`), CI runs the README's test command, and `course setup`
/// is idempotent: once everything is installed, a second run installs nothing, calls no apt-get and
/// is fast.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ScriptTests
{
    [Theory]
    [InlineData("course")]
    [InlineData(".ci/run")]
    public void Bash_parses_the_script(string relative)
    {
        var result = Repository.Run("bash", new[] { "-n", relative });
        Assert.True(result.ExitCode == 0, $"bash -n {relative}: {result.Stderr}");
    }

    [Fact]
    public void Ci_runs_the_readme_test_command()
    {
        Assert.Contains("./course test", File.ReadAllText(Repository.PathOf("README.md")));
        Assert.Contains("exec ./course test", File.ReadAllText(Repository.PathOf(".ci/run")));
        Assert.Contains("run: ./course test", File.ReadAllText(Repository.PathOf(".github/workflows/ci.yml")));
    }

    [Fact]
    public void Build_refuses_an_unknown_option_before_installing_anything()
    {
        // `--gpu` for `--cuda` must not quietly build the CPU backend.
        var result = Repository.Run(Repository.PathOf("course"), new[] { "build", "--gpu" });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("build: unknown option '--gpu'", result.Stderr);
        Assert.DoesNotContain("installing", result.Stderr);
    }

    [Fact]
    public void Setup_run_again_installs_nothing_and_is_fast()
    {
        // apt-get, apt-cache and sudo are replaced by stubs that record their calls and fail.
        string stubs = Directory.CreateTempSubdirectory("course-setup-").FullName;
        string calls = Path.Combine(stubs, "calls.log");
        try
        {
            foreach (var tool in new[] { "apt-get", "apt-cache", "sudo" })
            {
                string path = Path.Combine(stubs, tool);
                File.WriteAllText(path, $"#!/bin/sh\necho \"{tool} $*\" >> '{calls}'\nexit 1\n");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var environment = new Dictionary<string, string?>
            {
                ["PATH"] = stubs + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            };
            for (int run = 1; run <= 2; run++)
            {
                var result = Repository.Run(Repository.PathOf("course"), new[] { "setup" }, environment);
                string called = File.Exists(calls) ? File.ReadAllText(calls) : "";
                Assert.True(called.Length == 0,
                    $"run {run} of `course setup` called the package manager, so something is " +
                        $"missing here (run `./course setup` first):\n{called}{result.Stderr}");
                Assert.True(result.ExitCode == 0, $"course setup failed: {result.Stderr}");
                Assert.Contains("setup: nothing to install", result.Stderr);
                Assert.True(result.Elapsed < TimeSpan.FromSeconds(10), $"course setup took {result.Elapsed.TotalSeconds:F1} s with nothing to do");
            }
        }
        finally
        {
            Directory.Delete(stubs, recursive: true);
        }
    }
}
