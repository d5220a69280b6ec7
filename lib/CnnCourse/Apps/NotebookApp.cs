using System.Globalization;
using System.Runtime.CompilerServices;

namespace CnnCourse.Apps;

/// <summary>
/// The start of a lesson exported as a .NET file-based app (<c>./course export</c>): it runs in the
/// notebook's folder, as the notebook did, and its parameters come from the command line as
/// <c>--NAME VALUE</c> pairs with the names of the notebook's <c>parameters</c> cell:
/// <code>
/// var app = NotebookApp.Start(args, notebookFolder: "../../notebooks");
/// var Quick = app.Parameter("Quick", false);
/// var Epochs = app.Parameter("Epochs", 5);
/// app.CheckParameters();   // --help lists them; an unknown name or a bad value ends the program (exit code 2)
/// </code>
/// Each value is read as the default's type (bool, int, long, double, float, decimal or string),
/// in the invariant culture, as the notebook runner's <c>-p NAME VALUE</c> does.
/// </summary>
public sealed class NotebookApp
{
    private readonly List<(string Name, string Value)> given = [];
    private readonly List<(string Name, string Type, string Default)> declared = [];
    private readonly List<string> problems = [];
    private readonly bool help;

    private NotebookApp(string name, IReadOnlyList<string> args)
    {
        Name = name;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h")
                this.help = true;
            else if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                this.problems.Add($"'{arg}' is not a parameter: give each one as --NAME VALUE");
            else if (i + 1 >= args.Count)
                this.problems.Add($"{arg} needs a value (--NAME VALUE)");
            else
                this.given.Add((arg[2..], args[++i]));
        }
    }

    /// <summary>The app's file name, as usage lines show it.</summary>
    public string Name { get; }

    /// <summary>
    /// Reads the command line and makes the notebook's folder, <paramref name="notebookFolder"/>
    /// relative to the app's file, the working directory (when it exists), so the notebook's relative
    /// paths mean what they meant in the notebook.
    /// </summary>
    public static NotebookApp Start(string[] args, string notebookFolder, [CallerFilePath] string appFile = "")
    {
        ArgumentNullException.ThrowIfNull(args);
        // `dotnet run app.cs` says which file it runs; the compile-time path is the fallback.
        string file = AppContext.GetData("EntryPointFilePath") as string is { Length: > 0 } entry ? entry : appFile;
        string folder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file) ?? ".", notebookFolder));
        if (Directory.Exists(folder)) Directory.SetCurrentDirectory(folder);
        else Console.Error.WriteLine($"note: the notebook's folder {folder} does not exist; running in {Environment.CurrentDirectory}");
        return new NotebookApp(Path.GetFileName(file), args);
    }

    /// <summary>An app with this command line, in the current folder (tests).</summary>
    internal static NotebookApp FromArguments(string name, params string[] args) => new(name, args);

    /// <summary>The parameter's value from the command line (<c>--NAME VALUE</c>), else <paramref name="defaultValue"/>.</summary>
    public T Parameter<T>(string name, T defaultValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string type = TypeName(typeof(T));
        declared.Add((name, type, Literal(defaultValue)));
        int given = this.given.FindLastIndex(p => p.Name == name);
        if (given < 0) return defaultValue;
        string text = this.given[given].Value;
        if (TryParse(text, out T value)) return value;
        this.problems.Add($"--{name} {text}: not {(type == "int" ? "an" : "a")} {type} (the default is {Literal(defaultValue)})");
        return defaultValue;
    }

    /// <summary>
    /// After the last <see cref="Parameter{T}"/>: with <c>--help</c>, prints the parameters and exits
    /// (code 0); an unknown name or a value of the wrong type is an error that lists the known
    /// parameters (exit code 2). Otherwise prints the parameters given, if any, and returns.
    /// </summary>
    public void CheckParameters()
    {
        if (Check(Console.Out, Console.Error) is int exitCode) Environment.Exit(exitCode);
    }

    /// <summary>What <see cref="CheckParameters"/> does, writing to the given writers: the exit code, or null to go on.</summary>
    internal int? Check(TextWriter output, TextWriter error)
    {
        if (this.help)
        {
            output.Write(Usage());
            return 0;
        }
        var known = declared.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = this.given.Select(p => p.Name).Distinct().Where(n => !known.Contains(n)).ToList();
        var problems = this.problems.ToList();
        if (unknown.Count > 0)
            problems.Insert(0, $"unknown parameter{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; " +
                               $"the parameters are {(known.Count == 0 ? "none" : string.Join(", ", declared.Select(p => p.Name)))}");
        if (problems.Count > 0)
        {
            foreach (var problem in problems) error.WriteLine($"{Name}: error: {problem}");
            error.Write(Usage());
            return 2;
        }
        if (this.given.Count > 0)
            output.WriteLine("parameters: " + string.Join(", ", this.given.GroupBy(p => p.Name).Select(g => $"{g.Key} = {g.Last().Value}")));
        return null;
    }

    private string Usage()
    {
        var usage = new System.Text.StringBuilder($"usage: dotnet run {Name} -- [--NAME VALUE]...\n");
        usage.Append(declared.Count == 0 ? "  (no parameters)\n" : "parameters (the notebook's parameters cell):\n");
        int width = declared.Count == 0 ? 0 : declared.Max(p => p.Name.Length);
        foreach (var (name, type, defaultValue) in declared)
            usage.Append(CultureInfo.InvariantCulture, $"  --{name.PadRight(width)}  {type}, default {defaultValue}\n");
        return usage.ToString();
    }

    private static string TypeName(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "bool",
        TypeCode.Int32 => "int",
        TypeCode.Int64 => "long",
        TypeCode.Double => "double",
        TypeCode.Single => "float",
        TypeCode.Decimal => "decimal",
        TypeCode.String => "string",
        _ => throw new ArgumentException($"NotebookApp.Parameter: a parameter is a bool, int, long, double, float, decimal or string, not {type.Name}"),
    };

    private static bool TryParse<T>(string text, out T value)
    {
        const NumberStyles Integer = NumberStyles.AllowLeadingSign;
        const NumberStyles Real = NumberStyles.Float;
        var invariant = CultureInfo.InvariantCulture;
        object? parsed = default(T) switch
        {
            bool => bool.TryParse(text, out bool b) ? b : null,
            int => int.TryParse(text, Integer, invariant, out int i) ? i : null,
            long => long.TryParse(text, Integer, invariant, out long l) ? l : null,
            double => double.TryParse(text, Real, invariant, out double d) && double.IsFinite(d) ? d : null,
            float => float.TryParse(text, Real, invariant, out float f) && float.IsFinite(f) ? f : null,
            decimal => decimal.TryParse(text, Real, invariant, out decimal m) ? m : null,
            _ => text, // string (TypeName has rejected every other type)
        };
        value = parsed is T typed ? typed : default!;
        return parsed is not null;
    }

    private static string Literal<T>(T value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
