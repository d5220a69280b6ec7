using System.Text;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Parameters;

/// <summary>Parameters that cannot be given to a notebook (a value of the wrong type): the notebook is not run.</summary>
internal sealed class ParameterException(string message) : Exception(message);

/// <summary>What injecting parameters did to a notebook.</summary>
/// <param name="Values">Each parameter's typed value (what the freshness stamp records).</param>
/// <param name="Warnings">Parameters the notebook does not declare, or a missing parameters cell.</param>
internal sealed record Injection(IReadOnlyDictionary<string, TypedValue> Values, IReadOnlyList<string> Warnings);

/// <summary>
/// Papermill's convention for C#: the cell tagged <c>parameters</c> holds the defaults; given values
/// become declarations in a cell tagged <c>injected-parameters</c> right after it, which replaces any
/// injected cell of an earlier run. Roslyn scripting lets a later submission redeclare a variable,
/// which is how the injected values override the defaults. Each value is written as a literal of
/// the type the parameters cell gives the variable (<c>var Epochs = 5</c> makes <c>-p Epochs 1</c> an
/// int), so code using the parameter compiles the same either way.
/// </summary>
internal static class ParameterInjector
{
    public const string ParametersTag = "parameters";
    public const string InjectedTag = "injected-parameters";

    /// <summary>A fixed id, so re-running with parameters does not churn the notebook's diff.</summary>
    public const string InjectedCellId = "injected-parameters";

    private const string Header = "// Parameters injected by the course's runner (-p NAME VALUE): they override the defaults above.";

    /// <summary>
    /// Removes an earlier injected cell and, when <paramref name="parameters"/> is not empty, injects a
    /// new one. Without parameters the notebook runs with its defaults.
    /// </summary>
    public static Injection Inject(Notebook notebook, IReadOnlyList<NotebookParameter> parameters)
    {
        for (int i = notebook.Cells.Count - 1; i >= 0; i--)
            if (notebook.Cells[i].HasTag(InjectedTag)) notebook.RemoveCellAt(i);
        if (parameters.Count == 0) return new Injection(new Dictionary<string, TypedValue>(), []);

        var warnings = new List<string>();
        var parametersCell = notebook.Cells.FirstOrDefault(cell => cell.IsCode && cell.HasTag(ParametersTag));
        var declared = parametersCell is null
            ? new Dictionary<string, ParameterDeclaration>()
            : ParameterDeclarations.Read(parametersCell.Source);
        if (parametersCell is null)
            warnings.Add($"no cell is tagged '{ParametersTag}': the parameters are injected before the first cell");

        var values = new Dictionary<string, TypedValue>(StringComparer.Ordinal);
        var source = new StringBuilder(Header);
        foreach (var parameter in parameters.GroupBy(p => p.Name).Select(g => g.Last()))
        {
            declared.TryGetValue(parameter.Name, out var declaration);
            if (declaration is null && parametersCell is not null)
                warnings.Add($"the parameters cell declares no '{parameter.Name}' (injected anyway)");
            if (declaration is { DeclaredType: not null, Type: null })
                throw new ParameterException(
                    $"parameter {parameter.Name}: the parameters cell declares it as {declaration.DeclaredType}; only bool, int, long, double, float, decimal and string parameters can be given");
            var type = declaration?.Type ?? TypedValue.Infer(parameter.Value);
            var value = TypedValue.TryConvert(parameter.Value, type)
                ?? throw new ParameterException(
                    $"parameter {parameter.Name}: \"{parameter.Value}\" is not a {TypedValue.Describe(type)}, which the parameters cell declares ({declaration?.Text})");
            values[parameter.Name] = value;
            source.Append('\n').Append(declaration?.DeclaredType ?? "var").Append(' ').Append(parameter.Name).Append(" = ").Append(value.Literal).Append(';');
        }

        var metadata = parametersCell?.Metadata.DeepClone().AsObject() ?? DefaultCSharpCellMetadata();
        metadata.Remove("execution");
        metadata["tags"] = new JsonArray(InjectedTag);
        var injected = NotebookCell.CreateCode(InjectedCellId, source.ToString(), metadata);
        notebook.InsertCell(parametersCell is null ? 0 : notebook.IndexOf(parametersCell) + 1, injected);
        return new Injection(values, warnings);
    }

    private static JsonObject DefaultCSharpCellMetadata() => new()
    {
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
    };
}
