using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// One notebook on the real .NET Interactive kernel: a fresh <c>dotnet interactive stdio</c> process
/// (the tool pinned in <c>.config/dotnet-tools.json</c>) in the notebook's folder, driven over the
/// kernel's stdio protocol — one JSON envelope a line: the runner writes <c>SubmitCode</c> commands to
/// its stdin, one cell at a time, and reads the kernel's events from its stdout. Those events are
/// turned into the runner's own (<see cref="KernelProtocol"/>), so timeouts, crashes, outputs and the
/// written notebook are handled as for any kernel. Without <c>--http-port</c> the stdio kernel serves
/// no HTTP at all, so it listens on no address.
/// </summary>
internal sealed class InteractiveKernel : IAsyncDisposable
{
    /// <summary>Tokens of the commands this runner sent start with this; the kernel's own commands (its start-up) do not.</summary>
    private const string TokenPrefix = "cnncourse-";

    private readonly Process process;
    private readonly ExecuteRequest request;
    private readonly ConsoleTail consoleTail = new();
    private readonly Queue<JsonObject> pending = new();
    private int nextCell;
    private int executionCount;
    private string? runningToken;
    private CellToRun? runningCell;
    private JsonArray errorDiagnostics = [];
    private bool finished;

    private InteractiveKernel(Process process, ExecuteRequest request)
    {
        this.process = process;
        this.request = request;
    }

    public static Task<InteractiveKernel> StartAsync(ExecuteRequest request, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        string toolRoot = InteractiveTool.ManifestRoot()
            ?? throw new KernelStartException($"no {InteractiveTool.ManifestPath} pins " +
                $"{InteractiveTool.PackageId} above {AppContext.BaseDirectory}: run ./course setup");
        var start = InteractiveTool.StartInfo(toolRoot, Path.GetDirectoryName(request.NotebookPath)!);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KernelStartException("could not start the kernel");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KernelStartException($"could not start the kernel ({e.Message})");
        }
        var kernel = new InteractiveKernel(process, request);
        process.ErrorDataReceived += (_, e) => kernel.consoleTail.Add(e.Data);
        process.BeginErrorReadLine();
        return Task.FromResult(kernel);
    }

    /// <summary>The next event, or null when the kernel closed its stdout (it finished or died).</summary>
    public async Task<JsonObject?> ReadEventAsync(CancellationToken cancellation)
    {
        while (pending.Count == 0)
        {
            if (this.finished) return null;
            string? line;
            try
            {
                line = await this.process.StandardOutput.ReadLineAsync(cancellation);
            }
            catch (IOException)
            {
                return null;
            }
            if (line is null) return null;
            await HandleLineAsync(line);
        }
        return pending.Dequeue();
    }

    private async Task HandleLineAsync(string line)
    {
        JsonObject? envelope = null;
        if (line.StartsWith('{'))
        {
            try
            {
                envelope = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                // Not an envelope: something else wrote to the kernel's stdout.
            }
        }
        if (envelope?["eventType"]?.GetValue<string>() is not string eventType)
        {
            consoleTail.Add(line); // a native library's or the runtime's own words: kept for a crash report
            return;
        }
        var body = envelope["event"] as JsonObject ?? [];
        string? token = envelope["command"]?["token"]?.GetValue<string>();
        bool ours = token?.StartsWith(TokenPrefix, StringComparison.Ordinal) == true;
        bool root = token is not null && token == runningToken;

        switch (eventType)
        {
            case "KernelReady":
                Emit(KernelProtocol.Event(KernelProtocol.Ready));
                await SubmitNextAsync();
                break;
            // Output of a cell, or of work a cell left running; the kernel's own (start-up) output is dropped.
            case "StandardOutputValueProduced" when ours:
                Emit(KernelProtocol.Event(KernelProtocol.Stream, ("name", "stdout"), ("text", PlainText(body))));
                break;
            case "StandardErrorValueProduced" or "ErrorProduced" when ours:
                Emit(KernelProtocol.Event(KernelProtocol.Stream, ("name", "stderr"), ("text", PlainText(body))));
                break;
            case "DisplayedValueProduced" when ours:
                Emit(KernelProtocol.Event(KernelProtocol.Display, ("id", DisplayId(body)), ("data", StdioBundle.From(body))));
                break;
            case "DisplayedValueUpdated" when ours:
                Emit(KernelProtocol.Event(KernelProtocol.UpdateDisplay, ("id", DisplayId(body)), ("data", StdioBundle.From(body))));
                break;
            case "ReturnValueProduced" when ours:
                Emit(KernelProtocol.Event(KernelProtocol.Result, ("data", StdioBundle.From(body)), ("execution_count", executionCount)));
                break;
            case "DiagnosticsProduced" when root:
                errorDiagnostics = [.. (body["diagnostics"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Where(d => d["severity"]?.GetValue<string>() == "error")
                    .Select(d => d.DeepClone())];
                break;
            case "CommandSucceeded" when root:
                FinishCell(error: null);
                await SubmitNextAsync();
                break;
            case "CommandFailed" when root:
                string message = body["message"]?.GetValue<string>() ?? "the kernel reported a failure without a message";
                FinishCell(StdioErrors.FromFailure(message, errorDiagnostics, runningCell!.Position));
                Finish(); // stop at the first failing cell, like nbconvert
                break;
        }
    }

    private void FinishCell(CellError? error)
    {
        Emit(KernelProtocol.Event(KernelProtocol.CellFinished,
            ("cell", runningCell!.Position),
            ("executed", true),
            ("execution_count", executionCount),
            ("error", error?.ToJson())));
        runningToken = null;
        runningCell = null;
    }

    /// <summary>Submits the next cell to run, or ends the run after the last one.</summary>
    private async Task SubmitNextAsync()
    {
        while (nextCell < this.request.Cells.Count)
        {
            var cell = this.request.Cells[nextCell++];
            Emit(KernelProtocol.Event(KernelProtocol.CellStarted, ("cell", cell.Position)));
            if (cell.KernelName == "markdown")
            {
                // A code cell in Polyglot's markdown kernel is prose: the kernel has no handler to run it.
                Emit(KernelProtocol.Event(KernelProtocol.CellFinished, ("cell", cell.Position), ("executed", false)));
                continue;
            }
            runningCell = cell;
            runningToken = $"{TokenPrefix}{cell.Position}";
            errorDiagnostics = [];
            executionCount++;
            var command = new JsonObject
            {
                ["token"] = runningToken,
                ["commandType"] = "SubmitCode",
                ["command"] = new JsonObject
                {
                    ["code"] = cell.Source,
                    ["targetKernelName"] = cell.KernelName ?? "csharp",
                },
            };
            await this.process.StandardInput.WriteLineAsync(command.ToJsonString());
            await this.process.StandardInput.FlushAsync();
            return;
        }
        Finish();
    }

    private void Finish()
    {
        Emit(KernelProtocol.Event(KernelProtocol.Finished));
        this.finished = true;
    }

    private void Emit(JsonObject message) => pending.Enqueue(message);

    private static string PlainText(JsonObject body) =>
        (body["formattedValues"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(v => v["mimeType"]?.GetValue<string>() == MimeTypes.PlainText)?["value"]?.GetValue<string>() ?? "";

    /// <summary>The display's id; a display the kernel gave none can never be updated, so any unique id does.</summary>
    private static string DisplayId(JsonObject body) => body["valueId"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N");

    /// <summary>Waits for the kernel to exit and returns its exit code.</summary>
    public Task<int> WaitForExitAsync() => NotebookProcess.WaitForExitAsync(this.process);

    /// <summary>Kills the kernel and everything it started.</summary>
    public void Kill() => NotebookProcess.Kill(this.process);

    public LastWords LastWords() => consoleTail.LastWords();

    public async ValueTask DisposeAsync()
    {
        // The kernel does not end when its stdin closes: a notebook's kernel is always killed.
        Kill();
        try
        {
            await this.process.WaitForExitAsync();
        }
        finally
        {
            this.process.Dispose();
        }
    }
}

/// <summary>Where the pinned kernel tool is, and how it is started.</summary>
internal static class InteractiveTool
{
    public const string PackageId = "microsoft.dotnet-interactive";
    public const string ManifestPath = ".config/dotnet-tools.json";

    /// <summary>The folder whose tool manifest pins the kernel: the first above this assembly (the repository that built it).</summary>
    public static string? ManifestRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string manifest = Path.Combine(folder.FullName, ManifestPath);
            if (File.Exists(manifest) && File.ReadAllText(manifest).Contains($"\"{PackageId}\"", StringComparison.OrdinalIgnoreCase))
                return folder.FullName;
        }
        return null;
    }

    /// <summary>
    /// <c>dotnet tool run dotnet-interactive -- stdio</c>, started where the manifest is (that is where
    /// <c>dotnet tool run</c> finds it) and told to work in the notebook's folder, the base of its
    /// relative paths and <c>#r</c>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string toolRoot, string workingDirectory)
    {
        var start = new ProcessStartInfo(DotnetHost(), ["tool", "run", "dotnet-interactive", "--", "stdio", "--working-dir", workingDirectory])
        {
            WorkingDirectory = toolRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        // No welcome banner on stdout (it is the protocol channel), and no telemetry.
        start.Environment["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    /// <summary>The dotnet host: the one running us when we run under it, else the one the SDK names, else PATH's.</summary>
    public static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }
}

/// <summary>The kernel could not be started.</summary>
internal sealed class KernelStartException(string message) : Exception(message);
