using System.Text.Json;
using System.Text.RegularExpressions;

namespace CnnCourse.Tests.EnvironmentChecks;

// (Not "CnnCourse.Tests.Environment": that name would hide System.Environment in every test namespace.)

/// <summary>
/// The development containers (issue: "the container definitions validated"): both files parse as
/// JSON with comments, every script they call exists and is one of `course`'s subcommands, and each
/// carries what the CPU and GPU paths need.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DevcontainerTests
{
    public static TheoryData<string> Definitions => new() { ".devcontainer/devcontainer.json", ".devcontainer/gpu/devcontainer.json" };

    private static readonly string[] LifecycleCommands =
        { "initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand", "postAttachCommand" };

    private static JsonElement Load(string relative)
    {
        string text = File.ReadAllText(Repository.PathOf(relative));
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.Clone();
    }

    /// <summary>Every command line of the lifecycle hooks (a string, an array, or an object of either).</summary>
    private static IEnumerable<string> Commands(JsonElement root)
    {
        foreach (var hook in LifecycleCommands)
        {
            if (!root.TryGetProperty(hook, out var value)) continue;
            foreach (var command in Flatten(value)) yield return command;
        }

        static IEnumerable<string> Flatten(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => new[] { value.GetString()! },
            JsonValueKind.Array => new[] { string.Join(' ', value.EnumerateArray().Select(e => e.GetString())) },
            JsonValueKind.Object => value.EnumerateObject().SelectMany(p => Flatten(p.Value)),
            _ => throw new InvalidDataException($"unexpected command value {value}"),
        };
    }

    private static HashSet<string> CourseSubcommands()
    {
        // What `./course help` lists (it installs and builds nothing): "  NAME [options]   description".
        var help = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, WorkingDirectory = Repository.PathOf(".") };
        help.ArgumentList.Add(Repository.PathOf("course"));
        help.ArgumentList.Add("help");
        using var process = System.Diagnostics.Process.Start(help)!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n');
        process.WaitForExit();
        return lines.Select(l => Regex.Match(l, @"^  ([a-z][a-z-]*)\b")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Parses_as_json_with_comments_and_names_itself(string relative)
    {
        var root = Load(relative);
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("name").GetString()));
        Assert.True(root.TryGetProperty("image", out _) || root.TryGetProperty("build", out _), "needs an image or a build");
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Every_command_it_runs_exists_and_is_a_course_subcommand(string relative)
    {
        var root = Load(relative);
        var commands = Commands(root).ToList();
        Assert.NotEmpty(commands);
        var subcommands = CourseSubcommands();
        Assert.Contains("setup", subcommands);
        foreach (var line in commands)
            foreach (var part in Regex.Split(line, @"&&|\|\||;").Select(p => p.Trim()).Where(p => p.Length > 0))
            {
                var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string program = words[0];
                Assert.True(program.StartsWith("./", StringComparison.Ordinal), $"{relative}: '{part}' should call a script of the repository");
                string path = Repository.PathOf(program[2..]);
                Assert.True(File.Exists(path), $"{relative}: {program} does not exist");
                Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{relative}: {program} is not executable");
                if (program == "./course")
                    Assert.True(words.Length > 1 && subcommands.Contains(words[1]),
                        $"{relative}: '{part}' is not a `course` subcommand ({string.Join(", ", subcommands)})");
            }
        // The same set-up as the README's commands, then the build, so notebooks open ready.
        Assert.Contains(commands, c => c.Contains("./course setup", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("./course build", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Installs_dotnet_10_and_recommends_the_notebook_extensions(string relative)
    {
        var root = Load(relative);
        var dotnet = root.GetProperty("features").EnumerateObject().Single(f => f.Name.Contains("/features/dotnet", StringComparison.Ordinal));
        Assert.StartsWith("10.", dotnet.Value.GetProperty("version").GetString());
        var extensions = root.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ms-dotnettools.csharp", extensions);
        Assert.Contains("ms-toolsai.jupyter", extensions);
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
    }

    [Fact]
    public void The_cpu_container_is_debian_bookworm()
    {
        var root = Load(".devcontainer/devcontainer.json");
        Assert.Contains("bookworm", root.GetProperty("image").GetString());
        Assert.False(root.TryGetProperty("hostRequirements", out var host) && host.TryGetProperty("gpu", out _), "the default container must not need a GPU");
    }

    [Fact]
    public void The_gpu_container_asks_for_a_gpu_and_builds_with_torchsharps_cuda_bundle()
    {
        var root = Load(".devcontainer/gpu/devcontainer.json");
        Assert.True(root.GetProperty("hostRequirements").GetProperty("gpu").GetBoolean());
        Assert.Contains("--gpus", root.GetProperty("runArgs").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains(Commands(root), c => c.Contains("./course build --cuda", StringComparison.Ordinal));
        string dockerfile = Path.Combine(Repository.PathOf(".devcontainer/gpu"), root.GetProperty("build").GetProperty("dockerfile").GetString()!);
        Assert.True(File.Exists(dockerfile), $"{dockerfile} is missing");
        string text = File.ReadAllText(dockerfile);
        Assert.Matches(@"(?m)^FROM nvidia/cuda:", text);
        Assert.Matches(@"(?m)^ENV TorchBackend=cuda\b", text);              // later builds there (course test, run, bench) stay on CUDA
        Assert.Contains("CNNCOURSE_PYTHON=", text);                          // the PyTorch peer of the benchmarks
        // The old binding's settings: a second libtorch on the library path would meet TorchSharp's in one process.
        Assert.DoesNotContain("Torch_DIR", text);
        Assert.DoesNotContain("LD_LIBRARY_PATH", text);
    }
}
