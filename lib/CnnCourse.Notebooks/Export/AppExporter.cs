using System.Text;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnCourse.Notebooks.Export;

/// <summary>Where an exported app is and what it refers to, as paths relative to the app's folder.</summary>
/// <param name="AppFileName">The app's file name (<c>01-convolution.cs</c>).</param>
/// <param name="ProjectPath">The course library's project, relative to the app's folder (<c>../../lib/CnnCourse/CnnCourse.csproj</c>).</param>
/// <param name="NotebookFolder">The notebook's folder, relative to the app's folder: the app runs there, as the notebook did.</param>
/// <param name="NotebookName">The notebook as the header names it (<c>notebooks/01-convolution.ipynb</c>).</param>
internal sealed record AppLayout(string AppFileName, string ProjectPath, string NotebookFolder, string NotebookName);

/// <summary>
/// Writes a notebook as a .NET 10 file-based app (<c>dotnet run app.cs</c>): <c>#:</c> directives
/// (the course library as <c>#:project</c>; the kernel's C# settings as <c>#:property</c>), the kernel's
/// default usings and the cells' usings, then every cell in order (markdown as <c>//</c> comments, code
/// as top-level statements; see <see cref="CellTranslator"/>), and the cells' type declarations last. A
/// cell's <c>#load "file.csx"</c> (the course's prelude) is the file's text, inlined in its place.
/// The parameters cell reads its values from the command line (<c>--NAME VALUE</c>, through the
/// library's <c>NotebookApp</c>), typed like its defaults.
/// </summary>
internal static class AppExporter
{
    /// <summary>The .NET Interactive C# kernel's default usings (Microsoft.DotNet.Interactive.CSharp 1.0.712001).</summary>
    public static readonly IReadOnlyList<string> KernelUsings =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    /// <summary>
    /// The kernel compiles cells without implicit usings, without nullable analysis, and a warning never
    /// stops a cell; AOT publishing (on by default for file-based apps) does not fit reflection-heavy
    /// TorchSharp code.
    /// </summary>
    public static readonly IReadOnlyList<string> Properties =
        ["ImplicitUsings=disable", "Nullable=disable", "TreatWarningsAsErrors=false", "PublishAot=false"];

    /// <summary>The names the app's own code declares, in order of preference; the first one no cell uses is taken.</summary>
    private static readonly string[] AppVariableNames = ["app", "notebookApp", "lessonApp"];

    public static string Export(Notebook notebook, AppLayout layout)
    {
        var cells = notebook.Cells;
        var translated = new Dictionary<int, TranslatedCell>();
        int parametersIndex = -1;
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (!cell.IsCode || IsMarkdownKernel(cell.KernelName)) continue;
            if (cell.KernelName is { } kernel && !IsCSharpKernel(kernel))
                throw new AppExportException(notebook.Path, i + 1, $"the cell runs in the '{kernel}' kernel; an exported app is C# only");
            if (cell.HasTag(ParameterInjector.InjectedTag)) continue; // a runner's injected values are not the notebook's defaults
            if (parametersIndex < 0 && cell.HasTag(ParameterInjector.ParametersTag)) parametersIndex = i;
        }

        // A #load (the course's prelude) is the loaded file's text in its place, as the kernel runs it.
        string notebookFolder = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        var parsed = new SortedDictionary<int, CompilationUnitSyntax>();
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (!cell.IsCode || IsMarkdownKernel(cell.KernelName) || cell.HasTag(ParameterInjector.InjectedTag)) continue;
            parsed[i] = CellTranslator.Parse(LoadedScripts.Inline(cell.Source, notebookFolder, Failure(notebook, i)), Failure(notebook, i));
        }
        var identifiers = parsed.Values
            .SelectMany(root => root.DescendantTokens())
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
            .Select(t => t.ValueText)
            .ToHashSet(StringComparer.Ordinal);
        string app = AppVariableNames.FirstOrDefault(n => !identifiers.Contains(n))
            ?? throw new AppExportException(notebook.Path, null,
                $"the notebook uses every name the app's own variable could have ({string.Join(", ", AppVariableNames)})");
        identifiers.Add(app);
        var topLevel = parsed.Values.SelectMany(NestedLocals.TopLevelNames).Append(app).Append("args").ToHashSet(StringComparer.Ordinal);

        IReadOnlyDictionary<string, ParameterDeclaration> declared = parametersIndex < 0
            ? new Dictionary<string, ParameterDeclaration>()
            : ParameterDeclarations.Read(cells[parametersIndex].Source);
        var parameterNames = new List<string>();
        foreach (var (i, root) in parsed)
        {
            translated[i] = i == parametersIndex
                ? CellTranslator.Translate(root, topLevel, identifiers, Failure(notebook, i),
                    (name, value) => ReadParameter(app, declared, name, value, parameterNames))
                : CellTranslator.Translate(root, topLevel, identifiers, Failure(notebook, i));
        }
        CheckDeclarations(notebook, translated, app);

        var text = new StringBuilder();
        WriteHeader(text, layout, parameterNames);
        foreach (var directive in Directives(layout)) text.Append(directive).Append('\n');
        text.Append('\n');
        text.Append("// The notebook kernel's default usings, then the notebook's own.\n");
        var usings = KernelUsings.Select(n => $"using {n};")
            .Concat(translated.OrderBy(p => p.Key).SelectMany(p => p.Value.Usings))
            .Append("using CnnCourse.Apps;")
            .Append("using static CnnCourse.Apps.NotebookFunctions;   // the kernel's display(...) and HTML(...), written as text");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in usings)
            if (seen.Add(UsingKey(directive))) text.Append(directive).Append('\n');

        text.Append('\n')
            .Append("// Runs in the notebook's folder, as the notebook did; the parameters come from the command line.\n")
            .Append($"var {app} = NotebookApp.Start(args, notebookFolder: {SymbolDisplay.FormatLiteral(layout.NotebookFolder, quote: true)});\n");
        if (parametersIndex < 0) text.Append($"{app}.CheckParameters();\n");

        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (translated.TryGetValue(i, out var code))
            {
                if (code.Statements.Length == 0 && i != parametersIndex) continue;
                text.Append('\n');
                if (i == parametersIndex)
                    text.Append("// Parameters (the notebook's parameters cell): each default can be replaced on the command line, --NAME VALUE.\n");
                if (code.Statements.Length > 0) text.Append(code.Statements).Append('\n');
                if (i == parametersIndex) text.Append($"{app}.CheckParameters();\n");
            }
            else if (!cell.IsCode || IsMarkdownKernel(cell.KernelName))
            {
                string comment = Comment(cell.Source);
                if (comment.Length > 0) text.Append('\n').Append(comment);
            }
        }

        var types = translated.OrderBy(p => p.Key).SelectMany(p => p.Value.Types).ToList();
        if (types.Count > 0)
        {
            text.Append("\n// Types declared in the notebook's cells: a program declares them after its top-level statements.\n");
            foreach (var type in types) text.Append('\n').Append(type).Append('\n');
        }
        return text.ToString();
    }

    private static void WriteHeader(StringBuilder text, AppLayout layout, IReadOnlyList<string> parameters)
    {
        string example = parameters.Contains("Quick") ? " -- --Quick true" : parameters.Count > 0 ? " -- --help" : "";
        text.Append($"// {layout.AppFileName}: the lesson {layout.NotebookName} as a .NET file-based app, written by\n")
            .Append("// `./course export`: edit the notebook, not this file. In this file's folder:\n")
            .Append($"//   dotnet run {layout.AppFileName}{example}\n");
        if (parameters.Count > 0)
            text.Append($"// Parameters: {string.Join(", ", parameters)}, given as --NAME VALUE after `--` (`-- --help` lists them).\n");
        text.Append("// Where the notebook shows a value (display(...), a cell's last expression), the app prints its text.\n");
    }

    public static IEnumerable<string> Directives(AppLayout layout) =>
        Properties.Select(p => $"#:property {p}").Prepend($"#:project {layout.ProjectPath}");

    /// <summary>
    /// The parameters cell's declaration of <paramref name="name"/>, read from the command line; null keeps a declaration the command line cannot
    /// give.
    /// </summary>
    private static string? ReadParameter(string app, IReadOnlyDictionary<string, ParameterDeclaration> declared, string name,
                                         ExpressionSyntax defaultValue, List<string> names)
    {
        if (!declared.TryGetValue(name, out var declaration) || declaration.Type is not ParameterType type) return null;
        names.Add(name);
        string typeArgument = declaration.DeclaredType is null ? "" : $"<{TypedValue.Keyword(type)}>";
        return $"{app}.Parameter{typeArgument}({SymbolDisplay.FormatLiteral(name, quote: true)}, {defaultValue.WithoutTrivia()})";
    }

    /// <summary>
    /// A notebook may declare a variable again in a later cell (each cell is a new script submission); a
    /// program may not. Such a notebook is reported, not silently changed. The app's own variable and
    /// <c>args</c> must not clash either.
    /// </summary>
    private static void CheckDeclarations(Notebook notebook, Dictionary<int, TranslatedCell> translated, string app)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal) { [app] = 0, ["args"] = 0 };
        foreach (var (index, cell) in translated.OrderBy(p => p.Key))
            foreach (var name in cell.DeclaredNames)
            {
                if (first.TryGetValue(name, out int earlier))
                {
                    string where = earlier == 0 ? "the app's own code declares it" : $"cell {earlier} declares it already";
                    throw new AppExportException(notebook.Path, index + 1,
                        $"'{name}' is declared again ({where}): the kernel allows that, a program's " +
                            $"top-level statements do not; give one of them another name");
                }
                first[name] = index + 1;
            }
    }

    private static Func<string, Exception> Failure(Notebook notebook, int index) =>
        reason => new AppExportException(notebook.Path, index + 1, reason);

    /// <summary>A using directive without its comment, for dropping repeats.</summary>
    private static string UsingKey(string directive)
    {
        int comment = directive.IndexOf("//", StringComparison.Ordinal);
        return string.Join(' ', (comment < 0 ? directive : directive[..comment]).Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Markdown as line comments: <c>// </c> before each line, <c>//</c> alone for an empty one.</summary>
    public static string Comment(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        if (lines.Length == 1 && lines[0].Trim().Length == 0) return "";
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            string trimmed = line.TrimEnd();
            text.Append(trimmed.Length == 0 ? "//" : "// " + trimmed).Append('\n');
        }
        return text.ToString();
    }

    private static bool IsMarkdownKernel(string? kernel) => kernel is "markdown" or "md";

    private static bool IsCSharpKernel(string kernel) => kernel is "csharp" or "C#" or "c#";
}
