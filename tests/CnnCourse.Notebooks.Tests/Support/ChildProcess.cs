using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// A program a test starts (a Jupyter server, a browser driver, a Python script), in a session and
/// process group of its own (through util-linux's <c>setsid</c>), its stdout and stderr kept. Disposing
/// it ends the whole group and every descendant, whatever state the test left it in.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const string Setsid = "/usr/bin/setsid";

    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private bool disposed;

    private ChildProcess(Process process, string description)
    {
        this.process = process;
        Description = description;
    }

    /// <summary>The program and its arguments, for messages.</summary>
    public string Description { get; }

    /// <summary>The program's process id, which is also its process group's and session's id.</summary>
    public int Id => this.process.Id;

    public bool HasExited => this.process.HasExited;

    public int ExitCode => this.process.ExitCode;

    public string Stdout
    {
        get { lock (this.stdout) return this.stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (this.stderr) return this.stderr.ToString(); }
    }

    /// <summary>Starts <paramref name="program"/>; <paramref name="environment"/> adds to (or, with null, removes from) the test's environment.</summary>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        // setsid(1) execs the program itself (the test process's child is no group leader, so it does
        // not fork): the process id is the program's, and it leads a new process group.
        var start = new ProcessStartInfo(Setsid, [program, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var child = new ChildProcess(process, string.Join(" ", [program, .. arguments]));
        process.OutputDataReceived += (_, e) => Append(child.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(child.stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return child;
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null) return;
        lock (text) text.Append(line).Append('\n');
    }

    /// <summary>Waits for the program to exit, its output read to the end; false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            await this.process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        this.process.WaitForExit(); // drains the redirected output
        return true;
    }

    /// <summary>The program and every process below it now (by parent id).</summary>
    public IReadOnlyList<int> Tree() => HasExited ? [] : ListeningSockets.ProcessTree(Id);

    /// <summary>
    /// Ends the program: SIGTERM to its process group, then, after <paramref name="grace"/>, SIGKILL to
    /// the group and to every descendant it had (those in sessions of their own included, as Jupyter
    /// starts its kernels). Synchronous, so that a <c>finally</c> or <c>Dispose</c> can always run it.
    /// </summary>
    public void Stop(TimeSpan grace)
    {
        var tree = Tree();
        if (!HasExited)
        {
            Signal(-Id, SigTerm);
            this.process.WaitForExit(grace);
        }
        Signal(-Id, SigKill);
        Kill(tree);
        if (this.process.WaitForExit(TimeSpan.FromSeconds(10))) this.process.WaitForExit(); // drains the output
    }

    public void Dispose()
    {
        if (disposed) return;
        Stop(TimeSpan.FromSeconds(5));
        this.process.Dispose();
        disposed = true;
    }

    /// <summary>Output for a failure message: the last lines of stdout and stderr.</summary>
    public string Tail(int lines = 40)
    {
        static string Last(string text, int n) => string.Join("\n", text.Split('\n').TakeLast(n));
        return $"$ {Description}\n--- stdout ---\n{Last(Stdout, lines)}\n--- stderr ---\n{Last(Stderr, lines)}";
    }

    /// <summary>
    /// Processes whose command line contains <paramref name="text"/> (a test's unique temporary
    /// folder): what a test started and would leave running.
    /// </summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Mentioning(string text)
    {
        var found = new List<(int, string)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                string commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                if (commandLine.Contains(text, StringComparison.Ordinal)) found.Add((pid, commandLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It exited meanwhile.
            }
        }
        return found;
    }

    /// <summary>SIGKILLs these processes (ids taken from a process tree of the test's own).</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (int pid in pids) Signal(pid, SigKill);
    }

    /// <summary>SIGKILLs the processes whose command line contains <paramref name="text"/>; returns those it found.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> KillMentioning(string text)
    {
        var found = Mentioning(text);
        foreach (var (pid, _) in found) Signal(pid, SigKill);
        return found;
    }

    private static void Signal(int pid, int signal) => _ = kill(pid, signal); // ESRCH (gone already) is fine

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
