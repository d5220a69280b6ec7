using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>One cell of a notebook: a typed view over its JSON object, which keeps every field it has.</summary>
internal sealed class NotebookCell(JsonObject json)
{
    public const string Code = "code";
    public const string Markdown = "markdown";

    public JsonObject Json { get; } = json;

    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "";

    public bool IsCode => CellType == Code;

    public string? Id
    {
        get => Json["id"]?.GetValue<string>();
        set => Json["id"] = value;
    }

    /// <summary>The source as one string (lines joined); setting it stores VS Code's array of lines.</summary>
    public string Source
    {
        get => MultilineText.Join(Json["source"]);
        set => Json["source"] = MultilineText.ToLines(value.Replace("\r\n", "\n"));
    }

    public JsonObject Metadata
    {
        get
        {
            if (Json["metadata"] is JsonObject metadata) return metadata;
            metadata = new JsonObject();
            Json["metadata"] = metadata;
            return metadata;
        }
    }

    public IReadOnlyList<string> Tags =>
        Json["metadata"]?["tags"] is JsonArray tags
            ? tags.Select(tag => tag?.GetValue<string>() ?? "").ToList()
            : [];

    public bool HasTag(string tag) => Tags.Contains(tag);

    /// <summary>The Polyglot kernel the cell runs in (<c>polyglot_notebook.kernelName</c>, or the older <c>dotnet_interactive.language</c>).</summary>
    public string? KernelName =>
        Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? Json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>();

    public void ClearOutputs()
    {
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
        Json["metadata"]?.AsObject().Remove("execution");
    }

    public static NotebookCell CreateCode(string id, string source, JsonObject metadata)
    {
        var cell = new NotebookCell(new JsonObject
        {
            ["cell_type"] = Code,
            ["execution_count"] = null,
            ["id"] = id,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
        });
        cell.Source = source;
        return cell;
    }
}
