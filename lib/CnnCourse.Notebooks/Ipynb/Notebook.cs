using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>
/// A Polyglot C# notebook (nbformat 4) held as its JSON tree, so that every field the runner does
/// not use (notebook and cell metadata, attachments) is written back unchanged.
/// </summary>
internal sealed class Notebook
{
    /// <summary>The kernelspec name VS Code's Polyglot extension writes for C# notebooks.</summary>
    public const string CSharpKernelspec = ".net-csharp";

    private readonly List<NotebookCell> cells;

    private Notebook(string path, JsonObject json)
    {
        Path = path;
        Json = json;
        this.cells = CellArray.Select(node => new NotebookCell(node!.AsObject())).ToList();
    }

    /// <summary>The path the notebook was read from, as the user wrote it (used in messages).</summary>
    public string Path { get; }

    public JsonObject Json { get; }

    public IReadOnlyList<NotebookCell> Cells => this.cells;

    public JsonObject Metadata => Json["metadata"]!.AsObject();

    private JsonArray CellArray => Json["cells"]!.AsArray();

    /// <summary>Reads and checks a notebook; any problem is a <see cref="NotebookInputException"/> naming the file.</summary>
    public static Notebook Load(string path)
    {
        if (Directory.Exists(path)) throw new NotebookInputException(path, "is a directory, not a notebook");
        if (!File.Exists(path)) throw new NotebookInputException(path, "no such file");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookInputException(path, $"cannot be read ({e.Message})");
        }
        return Parse(path, text);
    }

    public static Notebook Parse(string path, string text)
    {
        JsonNode? root;
        try
        {
            root = NotebookJson.Parse(text);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new NotebookInputException(path, $"is not valid JSON{where}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new NotebookInputException(path, $"is not valid notebook JSON ({FirstLine(e.Message)})");
        }

        if (root is not JsonObject json) throw new NotebookInputException(path, "is not a notebook (the JSON is not an object)");
        CheckFormat(path, json);
        CheckKernel(path, json);
        CheckCells(path, json);
        return new Notebook(path, json);
    }

    private static void CheckFormat(string path, JsonObject json)
    {
        if (json["nbformat"] is not JsonValue format || format.GetValueKind() != JsonValueKind.Number)
            throw new NotebookInputException(path, "is not a notebook (no nbformat version)");
        if (!format.TryGetValue(out int major) || major != 4)
            throw new NotebookInputException(path, $"has nbformat {format.ToJsonString()}, and only nbformat 4 is supported");
    }

    private static void CheckKernel(string path, JsonObject json)
    {
        if (json["metadata"] is not JsonObject metadata) throw new NotebookInputException(path, "has no metadata (expected a Polyglot C# notebook)");
        if (metadata["kernelspec"] is not JsonObject kernelspec)
            throw new NotebookInputException(path, $"has no kernelspec (expected the Polyglot C# kernel, \"{CSharpKernelspec}\")");
        string name = kernelspec["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : "";
        string language = kernelspec["language"] is JsonValue l && l.GetValueKind() == JsonValueKind.String ? l.GetValue<string>() : "";
        bool isCSharp = name == CSharpKernelspec || language.Equals("C#", StringComparison.OrdinalIgnoreCase) && name.Length == 0;
        if (!isCSharp)
            throw new NotebookInputException(path, $"uses the kernel \"{(name.Length > 0 ? name : language)}\", not C# (expected \"{CSharpKernelspec}\")");
    }

    private static void CheckCells(string path, JsonObject json)
    {
        if (json["cells"] is not JsonArray cells) throw new NotebookInputException(path, "has no cells array");
        for (int i = 0; i < cells.Count; i++)
        {
            string where = $"cell {i + 1}";
            if (cells[i] is not JsonObject cell) throw new NotebookInputException(path, $"{where} is not an object");
            string type = cell["cell_type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "";
            if (type is not ("code" or "markdown" or "raw"))
                throw new NotebookInputException(path, $"{where} has an unknown cell_type \"{type}\"");
            if (!MultilineText.IsMultilineText(cell["source"]))
                throw new NotebookInputException(path, $"{where} has no source text");
            if (cell["metadata"] is not null and not JsonObject)
                throw new NotebookInputException(path, $"{where} has metadata that is not an object");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public void InsertCell(int index, NotebookCell cell)
    {
        CellArray.Insert(index, cell.Json);
        this.cells.Insert(index, cell);
    }

    public void RemoveCellAt(int index)
    {
        CellArray.RemoveAt(index);
        this.cells.RemoveAt(index);
    }

    public int IndexOf(NotebookCell cell) => this.cells.IndexOf(cell);

    /// <summary>
    /// Brings the notebook to the shape VS Code saves: nbformat 4.5 with a unique id on every cell
    /// (existing ids kept), sources as arrays of lines, outputs only on code cells, and the Polyglot
    /// metadata VS Code needs to open it as a C# Polyglot notebook (added only where missing).
    /// </summary>
    public void Normalize()
    {
        AddMissingPolyglotMetadata();
        if (Json["nbformat_minor"] is not JsonValue minor || !minor.TryGetValue(out int value) || value < 5)
            Json["nbformat_minor"] = 5;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in this.cells)
        {
            string? id = cell.Id;
            if (id is null || !IsValidId(id) || !seen.Add(id))
            {
                do id = NewCellId(); while (!seen.Add(id));
                cell.Id = id;
            }
            cell.Source = cell.Source;
            if (cell.Json["metadata"] is null) cell.Json["metadata"] = new JsonObject(); // nbformat requires one
            if (!cell.IsCode)
            {
                cell.Json.Remove("outputs");
                cell.Json.Remove("execution_count");
            }
            else
            {
                if (cell.Json["outputs"] is not JsonArray) cell.Json["outputs"] = new JsonArray();
                if (!cell.Json.ContainsKey("execution_count")) cell.Json["execution_count"] = null;
            }
        }
    }

    private void AddMissingPolyglotMetadata()
    {
        Metadata.TryAdd("language_info", new JsonObject { ["name"] = "polyglot-notebook" });
        Metadata.TryAdd("polyglot_notebook", new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        });
        foreach (var cell in this.cells.Where(c => c.IsCode))
        {
            if (cell.Metadata["polyglot_notebook"] is not JsonObject polyglot)
            {
                polyglot = new JsonObject();
                cell.Metadata["polyglot_notebook"] = polyglot;
            }
            polyglot.TryAdd("kernelName", cell.KernelName ?? "csharp");
        }
    }

    /// <summary>nbformat 4.5's cell id rule: 1 to 64 letters, digits, '-' or '_'.</summary>
    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A new id as Jupyter makes them: eight hex digits.</summary>
    private static string NewCellId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public string ToJson() => NotebookJson.Serialize(Json);
}
