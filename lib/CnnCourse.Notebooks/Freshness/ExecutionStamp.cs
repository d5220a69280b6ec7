using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;

namespace CnnCourse.Notebooks.Freshness;

/// <summary>
/// What the runner records in a notebook's metadata when it writes the notebook
/// (<c>metadata.cnncourse.execution</c>): a hash of the code cells' sources, the parameters of the run,
/// and how the run ended. With it, a check can tell whether committed outputs still come from the
/// notebook's current code, run with its defaults, to the end.
/// </summary>
internal static class ExecutionStamp
{
    public const string MetadataKey = "cnncourse";
    private const string ExecutionKey = "execution";

    /// <summary>
    /// SHA-256 over every code cell's source in order (line endings normalised), each followed by the text of
    /// the files it loads (<c>#load "prelude.csx"</c>: a change to the prelude changes every notebook's code),
    /// leaving out the injected-parameters cell: what it holds is recorded as the parameters.
    /// </summary>
    public static string CodeHash(Notebook notebook)
    {
        var text = new StringBuilder();
        string folder = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        foreach (var cell in notebook.Cells.Where(c => c.IsCode && !c.HasTag(ParameterInjector.InjectedTag)))
        {
            text.Append(cell.Source.Replace("\r\n", "\n")).Append('\0');
            foreach (var loaded in LoadedScripts.Texts(cell.Source, folder)) text.Append(loaded).Append('\0');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <param name="outcome">"passed", or how the run stopped ("failed", "timed out", "crashed").</param>
    public static void Write(Notebook notebook, IReadOnlyDictionary<string, TypedValue> parameters, string outcome)
    {
        var stamp = new JsonObject
        {
            ["code_sha256"] = CodeHash(notebook),
            ["outcome"] = outcome,
            ["parameters"] = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.Json.DeepClone()))),
        };
        if (notebook.Metadata[MetadataKey] is not JsonObject ours)
        {
            ours = new JsonObject();
            notebook.Metadata[MetadataKey] = ours;
        }
        ours[ExecutionKey] = stamp;
    }

    /// <summary>Why the notebook's outputs are not fresh, or null when they are.</summary>
    public static string? Staleness(Notebook notebook)
    {
        if (notebook.Metadata[MetadataKey]?[ExecutionKey] is not JsonObject stamp)
            return "its outputs were not written by the course's runner (no execution stamp in its metadata)";
        if (stamp["code_sha256"]?.GetValue<string>() != CodeHash(notebook))
            return "its code changed after its outputs were produced";
        if (stamp["parameters"] is JsonObject parameters && parameters.Count > 0)
            return $"its outputs come from a run with parameters " +
                $"({string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value?.ToJsonString()}"))}), not from its defaults";
        if (stamp["outcome"]?.GetValue<string>() is string outcome && outcome != "passed")
            return $"its recorded run {outcome}";
        if (notebook.Cells.Any(c => c.HasTag(ParameterInjector.InjectedTag)))
            return "it holds an injected-parameters cell";
        return null;
    }
}
