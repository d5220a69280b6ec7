using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>Writes small Polyglot C# notebooks as VS Code saves them, with cell ids c1, c2, ….</summary>
internal sealed class NotebookBuilder
{
    private readonly JsonArray cells = [];

    public NotebookBuilder Markdown(string source) => Add("markdown", source, new JsonObject());

    public NotebookBuilder Code(string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray());
        return Add("code", source, metadata);
    }

    /// <summary>A code cell in another Polyglot kernel (fsharp, markdown, …).</summary>
    public NotebookBuilder CodeIn(string kernelName, string source) =>
        Add("code", source, new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernelName } });

    public NotebookBuilder Parameters(string source) => Code(source, "parameters");

    private NotebookBuilder Add(string type, string source, JsonObject metadata)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = type,
            ["id"] = $"c{this.cells.Count + 1}",
            ["metadata"] = metadata,
            ["source"] = MultilineText.ToLines(source),
        };
        if (type == "code")
        {
            cell["execution_count"] = null;
            cell["outputs"] = new JsonArray();
        }
        this.cells.Add(cell);
        return this;
    }

    public JsonObject ToJson() => new()
    {
        ["cells"] = this.cells.DeepClone(),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    public string Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, NotebookJson.Serialize(ToJson()));
        return path;
    }
}
