using System.Globalization;
using CnnCourse.Notebooks.Parameters;
using CnnCourse.Notebooks.Running;

namespace CnnCourse.Notebooks.Cli;

/// <summary>A command line that cannot be followed; the message says what is wrong.</summary>
internal sealed class UsageException(string message) : Exception(message);

internal abstract record Command;

internal sealed record RunCommand(IReadOnlyList<string> Notebooks, RunOptions Options) : Command;

internal sealed record CheckOutputsCommand(IReadOnlyList<string> Notebooks) : Command;

internal sealed record ExportCommand(IReadOnlyList<string> Notebooks, string OutputDirectory, string? Project) : Command;

internal sealed record HelpCommand : Command;

/// <summary>Parses the runner's command line (see <see cref="Usage"/>).</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage:
          CnnCourse.Notebooks run [notebook.ipynb | folder ...] [-p NAME VALUE]... [--output DIR | --in-place]
                                  [--timeout-cell SECONDS] [--timeout SECONDS]
          CnnCourse.Notebooks check-outputs [notebook.ipynb | folder ...]
          CnnCourse.Notebooks export [notebook.ipynb | folder ...] --output DIR [--project PATH]

        run            executes each notebook in a fresh .NET Interactive kernel (the dotnet-interactive
                       tool pinned in .config/dotnet-tools.json), top to bottom, stopping at its first
                       failing cell; prints progress and a closing table; exit code 0 only if all passed.
          -p NAME VALUE  a parameter: injected as a C# declaration after the cell tagged 'parameters',
                         typed like the default there (bool, int, long, double, float, decimal, string)
          --in-place     write each executed notebook over itself (atomically)
          --output DIR   write each executed notebook into DIR (same file name)
                         (with neither, notebooks are run and reported, not written)
          --timeout-cell stop a cell after SECONDS (default 1800; 0 for no limit)
          --timeout      stop a notebook after SECONDS in all (default: no limit)
        check-outputs  exit code 0 only if every notebook's committed outputs are fresh: written by the
                       runner, from the current code, with the notebook's defaults (no parameters), and
                       the recorded run passed; prints a line for each stale notebook saying why.
        export         writes each notebook as a .NET 10 file-based app, DIR/<name>.cs (dotnet run DIR/<name>.cs):
                       markdown as // comments, code cells as top-level statements, the parameters cell
                       read from the app's command line (dotnet run DIR/<name>.cs -- --Quick true).
          --output DIR   the folder the apps are written to (required)
          --project PATH the course library's project for the apps' #:project (default: lib/CnnCourse/
                         CnnCourse.csproj of the repository above each notebook)
        A folder stands for the *.ipynb files in it.
        """;

    public static Command Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "help" or "-h" or "--help") return new HelpCommand();
        var rest = args.Skip(1).ToList();
        return args[0] switch
        {
            "run" => ParseRun(rest),
            "check-outputs" => new CheckOutputsCommand(NotebookPaths(rest)),
            "export" => ParseExport(rest),
            _ => throw new UsageException($"unknown command '{args[0]}'"),
        };
    }

    private static RunCommand ParseRun(List<string> args)
    {
        var notebooks = new List<string>();
        var parameters = new List<NotebookParameter>();
        var options = new RunOptions();
        bool inPlace = false;
        string? outputDirectory = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "-p" or "--parameter":
                    string name = Value(args, ref i, arg, "NAME VALUE");
                    string value = Value(args, ref i, arg, "NAME VALUE");
                    if (!NotebookParameter.IsValidName(name)) throw new UsageException($"-p {name}: a parameter name must be a C# identifier (like Epochs)");
                    parameters.Add(new NotebookParameter(name, value));
                    break;
                case "--in-place":
                    inPlace = true;
                    break;
                case "--output" or "-o":
                    outputDirectory = Value(args, ref i, arg, "DIR");
                    break;
                case "--timeout-cell":
                    options = options with { CellTimeout = Seconds(Value(args, ref i, arg, "SECONDS"), arg) };
                    break;
                case "--timeout":
                    options = options with { NotebookTimeout = Seconds(Value(args, ref i, arg, "SECONDS"), arg) };
                    break;
                default:
                    if (arg.StartsWith('-')) throw new UsageException($"unknown option '{arg}'");
                    notebooks.Add(arg);
                    break;
            }
        }
        if (inPlace && outputDirectory is not null) throw new UsageException("--output and --in-place exclude each other");
        var paths = NotebookPaths(notebooks);
        if (outputDirectory is not null)
        {
            var clash = paths.GroupBy(Path.GetFileName).FirstOrDefault(g => g.Count() > 1);
            if (clash is not null) throw new UsageException($"--output {outputDirectory}: two notebooks are named {clash.Key}");
        }
        options = options with
        {
            Parameters = parameters,
            Output = inPlace ? OutputMode.InPlace : outputDirectory is null ? OutputMode.None : OutputMode.Directory,
            OutputDirectory = outputDirectory,
        };
        return new RunCommand(paths, options);
    }

    private static ExportCommand ParseExport(List<string> args)
    {
        var notebooks = new List<string>();
        string? outputDirectory = null;
        string? project = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--output" or "-o":
                    outputDirectory = Value(args, ref i, arg, "DIR");
                    break;
                case "--project":
                    project = Value(args, ref i, arg, "PATH");
                    break;
                default:
                    if (arg.StartsWith('-')) throw new UsageException($"unknown option '{arg}'");
                    notebooks.Add(arg);
                    break;
            }
        }
        if (outputDirectory is null) throw new UsageException("export needs --output DIR");
        var paths = NotebookPaths(notebooks);
        var clash = paths.GroupBy(p => Path.GetFileNameWithoutExtension(p)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null) throw new UsageException($"--output {outputDirectory}: two notebooks are named {clash.Key}");
        return new ExportCommand(paths, outputDirectory, project);
    }

    private static string Value(List<string> args, ref int i, string option, string what)
    {
        if (i + 1 >= args.Count) throw new UsageException($"{option} needs {what}");
        return args[++i];
    }

    /// <summary>Seconds as given; 0 means no limit.</summary>
    private static TimeSpan? Seconds(string text, string option)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds < 0 || !double.IsFinite(seconds))
            throw new UsageException($"{option} {text}: expected a number of seconds");
        return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Files as given; a folder stands for its *.ipynb files, in name order.</summary>
    public static IReadOnlyList<string> NotebookPaths(IEnumerable<string> args) =>
        args.SelectMany(arg => Directory.Exists(arg)
                ? Directory.EnumerateFiles(arg, "*.ipynb").Order(StringComparer.Ordinal)
                : (IEnumerable<string>)[arg])
            .ToList();
}
