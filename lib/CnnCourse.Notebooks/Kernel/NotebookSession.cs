using System.Diagnostics;
using System.Globalization;
using CnnCourse.Notebooks.Display;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace CnnCourse.Notebooks.Kernel;

/// <summary>How one cell ended.</summary>
/// <param name="Executed">False for cells that are not run (markdown).</param>
/// <param name="ExecutionCount">The kernel's submission counter for this cell, as VS Code shows it.</param>
internal sealed record CellResult(bool Executed, int? ExecutionCount, CellError? Error)
{
    public static readonly CellResult NotExecuted = new(false, null, null);
}

/// <summary>
/// Runs a notebook's cells like the Polyglot C# kernel: each cell is a Roslyn scripting submission
/// continuing the state of the ones before (variables, methods, types, <c>#r</c> references). A compile
/// error leaves the state as it was; a runtime error keeps what the cell did before it threw. The last
/// expression's value, <c>display(...)</c> and console output become the cell's outputs.
/// </summary>
internal sealed class NotebookSession
{
    private readonly CellPaths _paths;
    private readonly CellErrors _errors;
    private readonly ScriptOptions _options;
    private readonly KernelGlobals _globals = new();
    private ScriptState<object>? _state;

    /// <param name="notebookPath">The notebook file; its folder is where relative paths in cells resolve.</param>
    public NotebookSession(string notebookPath)
    {
        _paths = new CellPaths(notebookPath);
        _errors = new CellErrors(_paths);
        _options = ScriptEnvironment.CreateOptions(_paths.NotebookDirectory);
    }

    public int ExecutionCount { get; private set; }

    /// <summary>
    /// Compiles a trivial submission so the compiler is loaded and jitted before the first cell's
    /// clock starts (the first compilation of a process costs seconds; cell timeouts should not pay it).
    /// </summary>
    public void WarmUp() => CSharpScript.Create("0", _options, typeof(KernelGlobals)).Compile();

    /// <param name="cellPosition">The cell's 0-based position in the notebook (names it in errors and stack traces).</param>
    /// <param name="kernelName">The cell's Polyglot kernel from its metadata, if any.</param>
    /// <param name="cellName">How stack traces name the cell (<c>notebook.ipynb#cell3</c>); by default its 1-based position.</param>
    public async Task<CellResult> RunCellAsync(int cellPosition, string source, string? kernelName, IOutputSink sink, string? cellName = null)
    {
        var cell = CellDirectives.Prepare(source, kernelName);
        if (cell.Kind == CellKind.Markdown) return CellResult.NotExecuted;
        int executionCount = ++ExecutionCount;
        if (cell.Error is not null) return new CellResult(true, executionCount, cell.Error);

        _globals.Sink = sink;
        using var _ = ConsoleCapture.Redirect(sink);
        var clock = Stopwatch.StartNew();
        var error = await SubmitAsync(cellPosition, cellName, cell.Code, sink);
        if (cell.Timed)
        {
            string wallTime = $"Wall time: {clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
            sink.Display(Guid.NewGuid().ToString("N"), MimeBundle.Create(wallTime, []));
        }
        return new CellResult(true, executionCount, error);
    }

    private async Task<CellError?> SubmitAsync(int cellPosition, string? cellName, string code, IOutputSink sink)
    {
        var options = _options.WithFilePath(_paths.For(cellPosition, cellName));
        ScriptState<object> state;
        try
        {
            state = _state is null
                ? await CSharpScript.Create(code, options, typeof(KernelGlobals)).RunAsync(_globals, catchException: _ => true)
                : await _state.ContinueWithAsync(code, options, catchException: _ => true);
        }
        catch (CompilationErrorException e)
        {
            return _errors.FromDiagnostics(e.Diagnostics, cellPosition);
        }
        catch (Exception e)
        {
            // Failures around the submission rather than in it (loading a #r'd assembly, say).
            return _errors.FromException(e);
        }

        _state = state;
        if (state.Exception is not null) return _errors.FromException(state.Exception);
        if (!EndsWithValue(state.Script.GetCompilation(), options.FilePath)) return null;
        // A cell ending in display(x) without ';' has shown x already; its handle is not content.
        if (state.ReturnValue is DisplayedValue) return null;
        try
        {
            sink.Display(Guid.NewGuid().ToString("N"), MimeBundle.Create(state.ReturnValue, []));
            return null;
        }
        catch (Exception e)
        {
            return _errors.FromException(e); // a formatter that throws fails the cell, as in the kernel
        }
    }

    /// <summary>
    /// True when the cell ends in an expression without ';' whose type is not void: the kernel shows
    /// that value (a null one as &lt;null&gt;). Roslyn keeps its own test for this internal.
    /// </summary>
    private static bool EndsWithValue(Compilation compilation, string cellPath)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == cellPath);
        if (tree?.GetRoot() is not CompilationUnitSyntax root) return false;
        if (root.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }
}
