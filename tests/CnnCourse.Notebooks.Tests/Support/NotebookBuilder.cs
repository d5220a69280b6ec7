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

    /// <summary>Gives the last code cell a stdout stream output, as if it had printed <paramref name="text"/>.</summary>
    public NotebookBuilder Prints(string text) =>
        AddOutput(new JsonObject { ["name"] = "stdout", ["output_type"] = "stream", ["text"] = MultilineText.ToLines(text) });

    /// <summary>Gives the last code cell a result in one MIME type (text/plain, text/html, …), as if it had ended with a value.</summary>
    public NotebookBuilder Returns(string mimeType, string text) =>
        AddOutput(new JsonObject
        {
            ["data"] = new JsonObject { [mimeType] = MultilineText.ToLines(text) },
            ["execution_count"] = 1,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "execute_result",
        });

    private NotebookBuilder AddOutput(JsonObject output)
    {
        var cell = this.cells.LastOrDefault(c => c!["cell_type"]!.GetValue<string>() == "code")
            ?? throw new InvalidOperationException("an output needs a code cell before it");
        cell["outputs"]!.AsArray().Add(output);
        return this;
    }

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
