using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnCourse.Notebooks.Export;

/// <summary>One code cell as parts of a file-based app.</summary>
/// <param name="Usings">The cell's using directives, which a program must place before every statement.</param>
/// <param name="Statements">The cell's statements (local functions included) in order, for the top-level program.</param>
/// <param name="Types">The cell's type declarations, which a program must place after the top-level statements.</param>
/// <param name="DeclaredNames">The variables and local functions the cell declares at its top level.</param>
internal sealed record TranslatedCell(IReadOnlyList<string> Usings, string Statements, IReadOnlyList<string> Types, IReadOnlyList<string> DeclaredNames);

/// <summary>
/// Turns the C# of one notebook cell (the kernel's scripting dialect) into what a file-based app's
/// top-level program accepts, with Roslyn's parser:
/// <list type="bullet">
/// <item>the <c>#r</c> of the course library is dropped (the app's <c>#:project</c> replaces it); any other
/// <c>#r</c>, <c>#load</c> (the exporter has inlined the loaded file before), <c>#i</c> or <c>#!</c> magic is an error;</item>
/// <item>using directives are lifted out (they go to the top of the file; <c>global</c> dropped), type declarations too (to its end);</item>
/// <item>a last expression without a semicolon, which the kernel displays, becomes <c>display(expression);</c>;</item>
/// <item><c>Progress.Notebook(...)</c>, a display updated in place, becomes <c>Progress.Auto()</c>, the
/// library's console progress;</item>
/// <item>a cell's own <c>display</c> method (the prelude's) is dropped: the app's <c>display</c> writes text.</item>
/// </list>
/// </summary>
internal static class CellTranslator
{
    private static readonly CSharpParseOptions ScriptParsing =
        CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>The assembly a notebook's <c>#r</c> may name: the course library, which the app references as a project.</summary>
    public const string CourseLibraryAssembly = "CnnCourse.dll";

    /// <summary>Reads a cell: its kernel directives handled, its code parsed as the kernel parses it (a script).</summary>
    /// <param name="source">The cell's source.</param>
    /// <param name="fail">Makes the exception for a problem in this cell.</param>
    public static CompilationUnitSyntax Parse(string source, Func<string, Exception> fail)
    {
        string code = WithoutKernelDirectives(source, fail);
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ScriptParsing).GetRoot();
        var error = root.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null)
        {
            var position = error.Location.GetLineSpan().StartLinePosition;
            throw fail($"the code does not parse as C# (line {position.Line + 1}, column {position.Character + 1}: " +
                $"{error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        if (root.Externs.Count > 0) throw fail("extern alias directives are not supported in an exported app");
        return root;
    }

    /// <param name="root">The cell, from <see cref="Parse"/>.</param>
    /// <param name="topLevel">Every top-level variable and local function of the program (all cells, the app's own).</param>
    /// <param name="taken">Every identifier the notebook uses (a renamed local takes none of them).</param>
    /// <param name="fail">Makes the exception for a problem in this cell.</param>
    /// <param name="rewriteDeclaration">Replaces a top-level variable's initial value (the parameters cell), or returns null to keep it.</param>
    public static TranslatedCell Translate(CompilationUnitSyntax root, ISet<string> topLevel, ISet<string> taken, Func<string, Exception> fail,
                                           Func<string, ExpressionSyntax, string?>? rewriteDeclaration = null)
    {
        root = NestedLocals.Rename(root, topLevel, taken);
        root = (CompilationUnitSyntax)new NotebookCallRewriter().Visit(root);
        if (rewriteDeclaration is not null) root = (CompilationUnitSyntax)new DeclarationRewriter(rewriteDeclaration).Visit(root);

        // `global using` (how a loaded script's usings reach later cells) is a plain using in a one-file program.
        var usings = root.Usings.Select(u => u.WithGlobalKeyword(default).WithoutLeadingTrivia().ToFullString().Trim()).ToList();
        var statements = new System.Text.StringBuilder();
        var types = new List<string>();
        var declared = NestedLocals.TopLevelNames(root).ToList();
        // What precedes the first member (comments after the usings) stays with the statements.
        for (int i = 0; i < root.Members.Count; i++)
        {
            var member = root.Members[i];
            bool last = i == root.Members.Count - 1;
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Add(member.ToFullString().Trim('\n', '\r'));
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } expression } when last:
                    // The kernel displays the value of a cell's last expression: so does the app.
                    statements.Append(expression.GetLeadingTrivia().ToFullString())
                              .Append("display(").Append(expression.Expression.WithoutTrivia().ToString()).Append(");")
                              .Append(expression.Expression.GetTrailingTrivia().ToFullString());
                    break;
                case GlobalStatementSyntax global:
                    statements.Append(global.ToFullString());
                    break;
                case FieldDeclarationSyntax field:
                    // Script variables are fields of the submission; in a program they are locals.
                    if (field.Modifiers.Any(m => !m.IsKind(SyntaxKind.ConstKeyword)))
                        throw fail($"'{field.Modifiers}' on a variable: a program's top-level variables are " +
                            $"locals, without modifiers ({field.Declaration.Variables[0].Identifier.ValueText})");
                    statements.Append(field.ToFullString());
                    break;
                case MethodDeclarationSyntax { Identifier.ValueText: "display" }:
                    // The prelude's display (the kernel's, with one id for an output and its updates):
                    // an app has its own display, which writes text.
                    break;
                case MethodDeclarationSyntax method:
                    // A script method; the same text is a local function in a program (only static and async modifiers may stay).
                    var bad = method.Modifiers.Where(m => !m.IsKind(SyntaxKind.StaticKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword)
                        && !m.IsKind(SyntaxKind.UnsafeKeyword)).ToList();
                    if (bad.Count > 0)
                        throw fail($"'{string.Join(" ", bad)}' on the method {method.Identifier.ValueText}: in " +
                            $"a program it becomes a local function, which takes only static, async or unsafe");
                    statements.Append(method.ToFullString());
                    break;
                default:
                    throw fail($"a {Describe(member)} at the top level of a cell has no place in a program's top-level statements; move it into a type");
            }
        }
        statements.Append(root.EndOfFileToken.LeadingTrivia.ToFullString());
        return new TranslatedCell(usings, TrimBlankLines(statements.ToString()), types, declared);
    }

    /// <summary>
    /// Drops <c>#r "…CnnCourse.dll"</c> and rejects the kernel's other directives. The kernel reads them a line
    /// at a time before compiling, and so does this.
    /// </summary>
    private static string WithoutKernelDirectives(string source, Func<string, Exception> fail)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            string? directive = KernelDirective(line);
            if (directive is null) continue;
            if (directive == "#r" && ReferencedPath(line) is { } path && Path.GetFileName(path.Replace('\\', '/')) == CourseLibraryAssembly)
            {
                lines[i] = "";
                continue;
            }
            throw fail(directive switch
            {
                "#r" => $"line {i + 1}: {line}: an exported app references only the course library " +
                    $"(through #:project); reference other packages or assemblies from it instead",
                "#!" => $"line {i + 1}: {line}: a notebook magic; a file-based app has no equivalent (take it out of the cell)",
                _ => $"line {i + 1}: {line}: a notebook kernel directive; a file-based app has no equivalent",
            });
        }
        return string.Join("\n", lines);
    }

    private static string? KernelDirective(string line)
    {
        if (line.StartsWith("#!", StringComparison.Ordinal)) return "#!";
        foreach (var directive in new[] { "#r", "#load", "#i" })
            if (line.StartsWith(directive, StringComparison.Ordinal) && line.Length > directive.Length && line[directive.Length] is ' ' or '\t' or '"')
                return directive;
        return null;
    }

    private static string? ReferencedPath(string line)
    {
        int open = line.IndexOf('"');
        int close = open < 0 ? -1 : line.IndexOf('"', open + 1);
        return close < 0 ? null : line[(open + 1)..close];
    }

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        PropertyDeclarationSyntax p => $"property ({p.Identifier.ValueText})",
        EventFieldDeclarationSyntax or EventDeclarationSyntax => "event",
        IndexerDeclarationSyntax => "indexer",
        BaseNamespaceDeclarationSyntax => "namespace",
        _ => member.Kind().ToString(),
    };

    private static string TrimBlankLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join("\n", lines);
    }

    /// <summary><c>Progress.Notebook(...)</c> → <c>Progress.Auto()</c>: a console cannot update a display in place.</summary>
    private sealed class NotebookCallRewriter : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            if (node.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Notebook" } access
                && access.Expression.ToString() is "Progress" or "CnnCourse.Training.Progress")
            {
                var auto = SyntaxFactory.ParseExpression($"{access.Expression}.Auto()");
                return auto.WithTriviaFrom(node);
            }
            return base.VisitInvocationExpression(node);
        }
    }

    /// <summary>Replaces the initial values of the cell's top-level variables (not those inside functions or blocks).</summary>
    private sealed class DeclarationRewriter(Func<string, ExpressionSyntax, string?> rewrite) : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitVariableDeclarator(VariableDeclaratorSyntax node)
        {
            bool topLevel = node.Parent?.Parent is FieldDeclarationSyntax
                            || node.Parent?.Parent is LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax };
            if (!topLevel || node.Initializer is null) return node;
            string? replacement = rewrite(node.Identifier.ValueText, node.Initializer.Value);
            if (replacement is null) return node;
            var value = SyntaxFactory.ParseExpression(replacement).WithTriviaFrom(node.Initializer.Value);
            return node.WithInitializer(node.Initializer.WithValue(value));
        }
    }
}
