using System.IO.Pipes;
using System.Text;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Kernel;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// The child side: runs one notebook's cells in a <see cref="NotebookSession"/>, in the notebook's
/// folder, and reports every event to the runner through the pipe. It lives in its own process so
/// that a crash, a hang or running out of memory ends only this notebook.
/// </summary>
internal static class KernelHost
{
    private const int ExitCodeRunnerGone = 3;

    public static async Task<int> RunAsync(string pipeName)
    {
        using var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
        await pipe.ConnectAsync(timeout: 60_000);
        using var reader = new StreamReader(pipe, new UTF8Encoding(false), leaveOpen: true);
        var events = new EventWriter(pipe);

        string requestLine = await reader.ReadLineAsync() ?? throw new InvalidOperationException("the runner sent no request");
        var request = ExecuteRequest.FromJson(JsonNode.Parse(requestLine)!.AsObject());
        ExitWhenTheRunnerIsGone(reader);
        // Ctrl+C in a terminal reaches the whole process group: the runner decides what an
        // interruption means (stop this process, write nothing), so this process ignores it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        // Code that opens files by relative path finds them beside the notebook, as in VS Code.
        Directory.SetCurrentDirectory(Path.GetDirectoryName(request.NotebookPath)!);

        var session = new NotebookSession(request.NotebookPath);
        session.WarmUp();
        events.Send(KernelProtocol.Event(KernelProtocol.Ready));

        var sink = new PipeSink(events);
        foreach (var cell in request.Cells)
        {
            events.Send(KernelProtocol.Event(KernelProtocol.CellStarted, ("cell", cell.Position)));
            var result = await session.RunCellAsync(cell.Position, cell.Source, cell.KernelName, sink, cell.Name);
            events.Send(KernelProtocol.Event(KernelProtocol.CellFinished,
                ("cell", cell.Position),
                ("executed", result.Executed),
                ("execution_count", result.ExecutionCount),
                ("error", result.Error?.ToJson())));
            if (result.Error is not null) break; // stop at the first failing cell, like nbconvert
        }
        events.Send(KernelProtocol.Event(KernelProtocol.Finished));
        return 0;
    }

    /// <summary>
    /// The runner sends nothing after the request, so the pipe's end of input means the runner is
    /// gone (killed, say): then this process ends too rather than holding memory or a GPU for nobody.
    /// </summary>
    private static void ExitWhenTheRunnerIsGone(StreamReader reader) =>
        _ = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync() is not null)
                {
                }
            }
            catch (IOException)
            {
                // A broken pipe says the same.
            }
            Environment.Exit(ExitCodeRunnerGone);
        });

    /// <summary>Serialises writes to the pipe: a cell may write from several threads.</summary>
    private sealed class EventWriter(Stream pipe)
    {
        private readonly StreamWriter _writer = new(pipe, new UTF8Encoding(false)) { NewLine = "\n" };

        public void Send(JsonObject message)
        {
            lock (_writer)
            {
                _writer.WriteLine(KernelProtocol.ToLine(message));
                _writer.Flush();
            }
        }
    }

    /// <summary>
    /// Forwards a cell's outputs as events, each as it happens: console text is not held back, so
    /// what a cell printed just before its process died still reaches the notebook.
    /// </summary>
    private sealed class PipeSink(EventWriter events) : IOutputSink
    {
        public void WriteStream(string name, string text) =>
            events.Send(KernelProtocol.Event(KernelProtocol.Stream, ("name", name), ("text", text)));

        public void Display(string displayId, JsonObject data) =>
            events.Send(KernelProtocol.Event(KernelProtocol.Display, ("id", displayId), ("data", data)));

        public void UpdateDisplay(string displayId, JsonObject data) =>
            events.Send(KernelProtocol.Event(KernelProtocol.UpdateDisplay, ("id", displayId), ("data", data)));
    }
}
