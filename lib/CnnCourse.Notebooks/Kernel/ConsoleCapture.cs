using System.Text;

namespace CnnCourse.Notebooks.Kernel;

/// <summary>
/// Sends Console.Out and Console.Error to the running cell's outputs. The redirection is installed
/// once per process and routes by async context: code started by a cell (tasks, threads) writes to
/// that cell, and anything else still reaches the real console. Several sessions can run in one
/// process (the tests do) without mixing their output.
/// </summary>
internal static class ConsoleCapture
{
    private static readonly AsyncLocal<IOutputSink?> Current = new();
    private static readonly object InstallGate = new();
    private static bool _installed;

    /// <summary>Routes console writes of this async context to <paramref name="sink"/> until disposed.</summary>
    public static IDisposable Redirect(IOutputSink sink)
    {
        Install();
        var previous = Current.Value;
        Current.Value = sink;
        return new Restore(previous);
    }

    private static void Install()
    {
        lock (InstallGate)
        {
            if (_installed) return;
            Console.SetOut(new RoutingWriter(Console.Out, "stdout"));
            Console.SetError(new RoutingWriter(Console.Error, "stderr"));
            _installed = true;
        }
    }

    private sealed class Restore(IOutputSink? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }

    private sealed class RoutingWriter(TextWriter original, string streamName) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (Current.Value is { } sink) sink.WriteStream(streamName, value);
            else original.Write(value);
        }

        public override void WriteLine(string? value) => Write(value + NewLine);

        public override void Flush()
        {
            if (Current.Value is null) original.Flush();
        }
    }
}
