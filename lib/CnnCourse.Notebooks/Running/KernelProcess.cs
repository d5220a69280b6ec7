using System.Diagnostics;
using System.IO.Pipes;
using System.Text;
using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// The runner's side of one child process: starts this same assembly with the hidden kernel
/// subcommand in the notebook's folder, sends it the cells, and reads its events. It can kill the
/// child (and anything it started) and keeps what the child writes outside the notebook's outputs,
/// which says why a crashed process died (Environment.FailFast's message, an unhandled exception).
/// </summary>
internal sealed class KernelProcess : INotebookKernel
{
    private readonly Process _process;
    private readonly NamedPipeServerStream _pipe;
    private readonly StreamReader _events;
    private readonly ConsoleTail _consoleTail = new();

    private KernelProcess(Process process, NamedPipeServerStream pipe)
    {
        _process = process;
        _pipe = pipe;
        _events = new StreamReader(pipe, new UTF8Encoding(false), leaveOpen: true);
    }

    public static async Task<KernelProcess> StartAsync(ExecuteRequest request, CancellationToken cancellation)
    {
        string pipeName = $"cnncourse-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]; // Unix socket paths are short
        var pipe = new NamedPipeServerStream(pipeName, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        var start = new ProcessStartInfo(InteractiveTool.DotnetHost(), [SelfAssembly(), KernelProtocol.KernelCommand, pipeName])
        {
            WorkingDirectory = Path.GetDirectoryName(request.NotebookPath)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KernelStartException("could not start the notebook's process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or KernelStartException)
        {
            await pipe.DisposeAsync();
            throw new KernelStartException($"could not start the notebook's process ({e.Message})");
        }

        var kernel = new KernelProcess(process, pipe);
        try
        {
            process.StandardInput.Close(); // a cell that reads the console gets end-of-input, not a hang
            process.OutputDataReceived += (_, e) => kernel._consoleTail.Add(e.Data);
            process.ErrorDataReceived += (_, e) => kernel._consoleTail.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var connected = pipe.WaitForConnectionAsync(cancellation);
            var exited = process.WaitForExitAsync(cancellation);
            var first = await Task.WhenAny(connected, exited);
            cancellation.ThrowIfCancellationRequested();
            if (first != connected)
            {
                process.WaitForExit(); // drain its output for the message
                var lastWords = kernel.LastWords();
                throw new KernelStartException($"the notebook's process exited with code {process.ExitCode} before it started: {lastWords.Reason ?? lastWords.ToString()}");
            }
            await connected;
            var writer = new StreamWriter(pipe, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            await writer.WriteLineAsync(request.ToJson().ToJsonString());
            await writer.FlushAsync(cancellation);
            return kernel;
        }
        catch
        {
            await kernel.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next event, or null when the child closed the pipe (it finished or died).</summary>
    public async Task<JsonObject?> ReadEventAsync(CancellationToken cancellation)
    {
        string? line;
        try
        {
            line = await _events.ReadLineAsync(cancellation);
        }
        catch (IOException)
        {
            return null;
        }
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    public Task<int> WaitForExitAsync() => NotebookProcess.WaitForExitAsync(_process);

    public void Kill() => NotebookProcess.Kill(_process);

    public LastWords LastWords() => _consoleTail.LastWords();

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync();
        }
        finally
        {
            _events.Dispose();
            await _pipe.DisposeAsync();
            _process.Dispose();
        }
    }

    /// <summary>This assembly's path: the child runs the same build as the runner.</summary>
    private static string SelfAssembly() => typeof(KernelProcess).Assembly.Location;
}

/// <summary>The child process could not be started or died before taking the notebook.</summary>
internal sealed class KernelStartException(string message) : Exception(message);
