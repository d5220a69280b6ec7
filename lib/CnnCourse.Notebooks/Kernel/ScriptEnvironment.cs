using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace CnnCourse.Notebooks.Kernel;

/// <summary>The compilation settings every notebook session starts from, as the Polyglot C# kernel sets them.</summary>
internal static class ScriptEnvironment
{
    /// <summary>The namespaces the Polyglot C# kernel imports into every submission.</summary>
    public static readonly ImmutableArray<string> DefaultImports =
    [
        "System",
        "System.Text",
        "System.Collections",
        "System.Collections.Generic",
        "System.Threading.Tasks",
        "System.Linq",
    ];

    /// <summary>
    /// Every assembly of the shared framework (as the kernel offers), plus this assembly for the
    /// globals (<c>display</c>, <c>HTML</c>). Read once per process: metadata references are immutable.
    /// </summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        return trusted
            .Where(path => path.StartsWith(runtimeDirectory, StringComparison.Ordinal) && path.EndsWith(".dll", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(KernelGlobals).Assembly.Location))
            .ToImmutableArray();
    });

    /// <summary>
    /// Options for cells of a notebook in <paramref name="notebookDirectory"/>: relative <c>#r</c> and
    /// <c>#load</c> paths resolve there (VS Code starts its kernel in the notebook's folder); code is
    /// optimised like a Release build and carries debug information, so runtime errors name their line.
    /// </summary>
    public static ScriptOptions CreateOptions(string notebookDirectory) =>
        ScriptOptions.Default
            .WithReferences(References.Value)
            .WithImports(DefaultImports)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(notebookDirectory))
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
}
