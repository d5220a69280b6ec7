using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Running;

/// <summary>A kernel event's <c>formattedValues</c> as an nbformat mime bundle, stored as VS Code stores it.</summary>
internal static class StdioBundle
{
    public static JsonObject From(JsonObject eventBody)
    {
        var bundle = new JsonObject();
        foreach (var value in (eventBody["formattedValues"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // A value marked suppressDisplay is for other clients (a JSON copy of an HTTP response), not shown.
            if (value["suppressDisplay"]?.GetValue<bool>() == true) continue;
            if (value["mimeType"]?.GetValue<string>() is not string mimeType || bundle.ContainsKey(mimeType)) continue;
            bundle[mimeType] = BundleValue.From(mimeType, value["value"]?.GetValue<string>() ?? "");
        }
        return bundle;
    }
}

/// <summary>A failed <c>SubmitCode</c> as an nbformat error: compile errors with their line, exceptions by type and message.</summary>
internal static partial class StdioErrors
{
    /// <param name="message">The <c>CommandFailed</c> event's message: the compiler's lines, or the exception's text.</param>
    /// <param name="errorDiagnostics">The cell's error diagnostics (<c>DiagnosticsProduced</c>): there when it did not compile.</param>
    /// <param name="cellPosition">The failed cell's position in the notebook.</param>
    public static CellError FromFailure(string message, JsonArray errorDiagnostics, int cellPosition)
    {
        var lines = message.Replace("\r\n", "\n").Split('\n').ToList();
        if (errorDiagnostics.Count > 0)
        {
            int? line = errorDiagnostics[0]?["linePositionSpan"]?["start"]?["line"]?.GetValue<int>() + 1;
            return new CellError("CompilationError", message, lines, line, line is null ? null : cellPosition);
        }
        var traceback = lines.Where(l => !IsEngineFrame(l)).ToList();
        while (traceback.Count > 0 && IsSeparator(traceback[^1])) traceback.RemoveAt(traceback.Count - 1);
        var exception = ExceptionLine().Match(lines[0]);
        return exception.Success
            ? new CellError(exception.Groups["type"].Value, exception.Groups["message"].Value, traceback)
            : new CellError("Error", lines[0], traceback);
    }

    /// <summary>The scripting engine's and the kernel's own frames, which say nothing about the notebook.</summary>
    private static bool IsEngineFrame(string line)
    {
        string trimmed = line.TrimStart();
        return trimmed.StartsWith("at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal)
            || trimmed.StartsWith("at Microsoft.DotNet.Interactive.", StringComparison.Ordinal);
    }

    private static bool IsSeparator(string line) => line.TrimStart().StartsWith("--- End of stack trace", StringComparison.Ordinal);

    /// <summary>"System.InvalidOperationException: message", as Exception.ToString() begins.</summary>
    [GeneratedRegex(@"^(?<type>[A-Za-z_][\w.`+]*(Exception|Error)): ?(?<message>.*)$")]
    private static partial Regex ExceptionLine();
}
