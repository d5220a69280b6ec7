using System.Text;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Parameters;

/// <summary>Parameters that cannot be given to a notebook (a name it does not declare, a value of the wrong type): the notebook is not run.</summary>
internal sealed class ParameterException(string message) : Exception(message);

/// <summary>What injecting parameters did to a notebook.</summary>
/// <param name="Values">Each parameter's typed value (what the freshness stamp records).</param>
internal sealed record Injection(IReadOnlyDictionary<string, TypedValue> Values);

/// <summary>
/// Papermill's convention for C#: the cell tagged <c>parameters</c> holds the defaults; given values
/// become declarations in a cell tagged <c>injected-parameters</c> right after it, which replaces any
/// injected cell of an earlier run. The kernel's C# scripting lets a later submission redeclare a variable,
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
        if (parameters.Count == 0) return new Injection(new Dictionary<string, TypedValue>());

        var parametersCell = notebook.Cells.FirstOrDefault(cell => cell.IsCode && cell.HasTag(ParametersTag))
            ?? throw new ParameterException($"no cell is tagged '{ParametersTag}', so the notebook takes no parameters (-p {parameters[0].Name})");
        var declared = ParameterDeclarations.Read(parametersCell.Source);
        // A misspelt name would otherwise run the notebook with its defaults, silently (nanoGPT's configurator errors too).
        var unknown = parameters.Select(p => p.Name).Distinct().Where(name => !declared.ContainsKey(name)).ToList();
        if (unknown.Count > 0)
            throw new ParameterException(
                $"the parameters cell declares no {string.Join(", ", unknown.Select(n => $"'{n}'"))}; its parameters are {string.Join(", ", declared.Keys)}");

        var values = new Dictionary<string, TypedValue>(StringComparer.Ordinal);
        var source = new StringBuilder(Header);
        foreach (var parameter in parameters.GroupBy(p => p.Name).Select(g => g.Last()))
        {
            var declaration = declared[parameter.Name];
            if (declaration is { DeclaredType: not null, Type: null })
                throw new ParameterException(
                    $"parameter {parameter.Name}: the parameters cell declares it as {declaration.DeclaredType}; " +
                        $"only bool, int, long, double, float, decimal and string parameters can be given");
            var type = declaration.Type ?? TypedValue.Infer(parameter.Value);
            var value = TypedValue.TryConvert(parameter.Value, type)
                ?? throw new ParameterException(
                    $"parameter {parameter.Name}: \"{parameter.Value}\" is not a {TypedValue.Describe(type)}, " +
                        $"which the parameters cell declares ({declaration.Text})");
            values[parameter.Name] = value;
            source.Append('\n').Append(declaration.DeclaredType ?? "var").Append(' ').Append(parameter.Name).Append(" = ").Append(value.Literal).Append(';');
        }

        var metadata = parametersCell.Metadata.DeepClone().AsObject();
        metadata.Remove("execution");
        metadata["tags"] = new JsonArray(InjectedTag);
        var injected = NotebookCell.CreateCode(InjectedCellId, source.ToString(), metadata);
        notebook.InsertCell(notebook.IndexOf(parametersCell) + 1, injected);
        return new Injection(values);
    }
}
