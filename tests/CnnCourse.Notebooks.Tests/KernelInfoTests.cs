using System.Text.Json;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// What the kernel says it is, asked over both protocols it speaks: the stdio protocol the runner
/// drives (<c>RequestKernelInfo</c>) and Jupyter's messaging protocol, through the course's kernelspec
/// (<c>kernel_info_request</c>, sent by jupyter_client). Neither reply carries the tool's version, so
/// each also asks the running kernel for its entry assembly's version, which must be the pinned one.
/// </summary>
[Collection(JupyterCollection.Name)]
public sealed class KernelInfoTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Prints the informational version of the kernel's entry assembly (Microsoft.DotNet.Interactive.App): "1.0.712001+&lt;commit&gt;".</summary>
    private const string VersionCode =
        "Console.WriteLine(((System.Reflection.AssemblyInformationalVersionAttribute)Attribute.GetCustomAttribute(" +
        "System.Reflection.Assembly.GetEntryAssembly(), typeof(System.Reflection.AssemblyInformationalVersionAttribute))).InformationalVersion);";

    /// <summary>The kernel's version pinned in .config/dotnet-tools.json.</summary>
    private static string PinnedVersion
    {
        get
        {
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(CourseNotebooks.RepositoryRoot, InteractiveTool.ManifestPath)))!;
            return manifest["tools"]![InteractiveTool.PackageId]!["version"]!.GetValue<string>();
        }
    }

    [Fact(Timeout = 4 * 60 * 1000)]
    public async Task Over_stdio_the_kernel_reports_CSharp_and_runs_the_pinned_version()
    {
        using var folder = new TempDirectory();
        var start = InteractiveTool.StartInfo(InteractiveTool.ManifestRoot()!, folder.Path);
        using var kernel = System.Diagnostics.Process.Start(start)!;
        var events = new List<JsonObject>();
        try
        {
            using var deadline = new CancellationTokenSource(Timeout);
            _ = kernel.StandardError.ReadToEndAsync(deadline.Token); // drained, so the kernel never blocks on it
            async Task<JsonObject> Until(Func<JsonObject, bool> wanted)
            {
                while (true)
                {
                    string? line = await kernel.StandardOutput.ReadLineAsync(deadline.Token);
                    Assert.True(line is not null, "the kernel closed its stdout; it said:\n" + string.Join("\n", events.Select(e => e.ToJsonString())));
                    if (!line.StartsWith('{')) continue;
                    var envelope = JsonNode.Parse(line)!.AsObject();
                    events.Add(envelope);
                    if (wanted(envelope)) return envelope;
                }
            }
            static bool Is(JsonObject envelope, string eventType, string token) =>
                envelope["eventType"]?.GetValue<string>() == eventType && envelope["command"]?["token"]?.GetValue<string>() == token;

            await Until(e => e["eventType"]?.GetValue<string>() == "KernelReady");
            await kernel.StandardInput.WriteLineAsync(Command("RequestKernelInfo", "info-1", new JsonObject { ["targetKernelName"] = "csharp" }));
            await kernel.StandardInput.WriteLineAsync(Command("SubmitCode", "version-1",
                new JsonObject { ["code"] = VersionCode, ["targetKernelName"] = "csharp" }));
            await kernel.StandardInput.FlushAsync();
            var info = await Until(e => Is(e, "KernelInfoProduced", "info-1"));
            var printed = await Until(e => Is(e, "StandardOutputValueProduced", "version-1") || Is(e, "CommandFailed", "version-1"));
            Assert.Equal("StandardOutputValueProduced", printed["eventType"]!.GetValue<string>());

            var kernelInfo = info["event"]!["kernelInfo"]!;
            Assert.Equal("C#", kernelInfo["languageName"]!.GetValue<string>());
            Assert.Equal("csharp", kernelInfo["localName"]!.GetValue<string>());
            Assert.Contains(kernelInfo["supportedKernelCommands"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "SubmitCode");
            string version = printed["event"]!["formattedValues"]!.AsArray()
                .Single(v => v!["mimeType"]!.GetValue<string>() == "text/plain")!["value"]!.GetValue<string>().Trim();
            Assert.StartsWith(PinnedVersion + "+", version);
        }
        finally
        {
            NotebookProcess.Kill(kernel); // the kernel does not end when its stdin closes
            await kernel.WaitForExitAsync();
        }
    }

    [Fact(Timeout = 4 * 60 * 1000)]
    public async Task Over_the_Jupyter_protocol_the_kernelspec_starts_a_CSharp_kernel_of_the_pinned_version()
    {
        DebianPackages.Require(DebianPackage.JupyterClient);
        using var workspace = JupyterWorkspace.Create();
        JsonObject reply;
        IReadOnlyList<(int Pid, string CommandLine)> leftOver;
        using (var script = ChildProcess.Start(DebianPackages.Python,
                   [JupyterWorkspace.Script("kernel_info.py"), "--kernel", ".net-csharp", "--cwd", workspace.Notebooks,
                    "--code", VersionCode, "--timeout", Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                   workspace.Notebooks, workspace.Environment))
        {
            bool finished = await script.WaitForExitAsync(Timeout + TimeSpan.FromMinutes(1));
            Assert.True(finished && script.ExitCode == 0, $"kernel_info.py failed:\n{script.Tail()}");
            reply = JsonNode.Parse(script.Stdout.Trim().Split('\n')[^1])!.AsObject();
        }
        leftOver = ChildProcess.KillMentioning(workspace.Root);

        var info = reply["kernel_info"]!;
        Assert.Equal("ok", info["status"]!.GetValue<string>());
        Assert.StartsWith("5.", info["protocol_version"]!.GetValue<string>());
        Assert.Equal(".NET", info["implementation"]!.GetValue<string>());
        Assert.Equal("C#", info["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", info["language_info"]!["mimetype"]!.GetValue<string>());
        Assert.Equal(".cs", info["language_info"]!["file_extension"]!.GetValue<string>());
        // The reply's implementation_version (5.1.0) and language_info.version (13.0, where the stdio
        // kernel says C# 14.0) are constants of the kernel's Jupyter layer: the tool's version is the
        // running kernel's own.
        Assert.Equal(JsonValueKind.String, info["implementation_version"]!.GetValueKind());
        Assert.Equal("ok", reply["execute"]!["status"]!.GetValue<string>());
        Assert.StartsWith(PinnedVersion + "+", reply["execute"]!["stdout"]!.GetValue<string>().Trim());
        Assert.True(leftOver.Count == 0, "still running after jupyter_client shut the kernel down (killed now):\n"
            + string.Join("\n", leftOver.Select(p => $"{p.Pid}: {p.CommandLine}")));
    }

    private static string Command(string type, string token, JsonObject command) =>
        new JsonObject { ["commandType"] = type, ["command"] = command, ["token"] = token }.ToJsonString();
}
