using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// Small class libraries compiled by the tests (once per test run) into <c>&lt;root&gt;/lib/</c>, for
/// notebooks in sibling folders to reference by relative path, as the course's notebooks reference
/// <c>../artifacts/bin/CnnCourse/release/CnnCourse.dll</c>:
/// <list type="bullet">
/// <item><c>Fixture.Library.dll</c> depends on <c>Fixture.Greetings.dll</c> beside it (dependency resolution from the library's folder);</item>
/// <item><c>Fixture.Charts.dll</c> declares its own <c>TypeFormatterSourceAttribute</c> and types that render as SVG and PNG;</item>
/// <item><c>Fixture.Html.dll</c> has a type implementing an <c>IHtmlContent</c> like ASP.NET Core's.</item>
/// </list>
/// </summary>
internal static class FixtureLibraries
{
    private static readonly Lazy<string> BuiltRoot = new(Build);

    /// <summary>The folder holding <c>lib/</c>; put notebooks in a new folder beside it.</summary>
    public static string Root => BuiltRoot.Value;

    public static string LibraryDirectory => Path.Combine(Root, "lib");

    /// <summary>A fresh folder next to <c>lib/</c> for a test's notebooks.</summary>
    public static string NewNotebookDirectory()
    {
        string directory = Path.Combine(Root, "notebooks-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>The bytes the fixture's image renders as PNG (a PNG signature and a few bytes: only the base64 matters).</summary>
    public static readonly byte[] PngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 73, 72, 68, 82];

    /// <summary>The output of <c>new LineChart("Loss")</c> (SVG and text, its PreferredMimeTypes), as the notebook stores it.</summary>
    public const string LossChartOutput = """
        {
         "data": {
          "image/svg+xml": [
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">\n",
           "<text>Loss</text>\n",
           "</svg>"
          ],
          "text/plain": [
           "Figure \"Loss\""
          ]
         },
         "metadata": {},
         "output_type": "display_data"
        }
        """;

    private const string Greetings = """
        namespace Fixture.Greetings;
        public static class Greeter
        {
            public static string Hello(string name) => "Hello, " + name;
        }
        """;

    private const string Library = """
        namespace Fixture.Library;
        public static class Welcome
        {
            public static string For(string name) => Fixture.Greetings.Greeter.Hello(name) + "!";
        }
        """;

    private const string Charts = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        namespace Fixture.Charts;

        // The convention's attribute, declared by the library itself (matched by name, not by assembly).
        [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = true)]
        public sealed class TypeFormatterSourceAttribute : Attribute
        {
            public TypeFormatterSourceAttribute(Type formatterSourceType) { FormatterSourceType = formatterSourceType; }
            public Type FormatterSourceType { get; }
            public string[] PreferredMimeTypes { get; set; }
        }

        public sealed class Formatter
        {
            private readonly Func<object, string> render;
            public Formatter(Type type, string mimeType, Func<object, string> render) { Type = type; MimeType = mimeType; this.render = render; }
            public string MimeType { get; }
            public Type Type { get; }
            public bool Format(object instance, TextWriter writer)
            {
                if (!Type.IsInstanceOfType(instance)) return false;
                writer.Write(this.render(instance));
                return true;
            }
        }

        [TypeFormatterSource(typeof(FigureFormatters), PreferredMimeTypes = new[] { "image/svg+xml", "text/plain" })]
        public class Figure
        {
            public Figure(string title) { Title = title; }
            public string Title { get; set; }
            public string ToSvg() => "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">\n<text>" + Title + "</text>\n</svg>";
            public override string ToString() => "Figure \"" + Title + "\"";
        }

        // Inherits the attribute, as a course chart type derives from a common Figure.
        public sealed class LineChart : Figure
        {
            public LineChart(string title) : base(title) { }
        }

        public sealed class FigureFormatters
        {
            public IEnumerable<object> CreateTypeFormatters()
            {
                yield return new Formatter(typeof(Figure), "image/svg+xml", f => ((Figure)f).ToSvg());
                yield return new Formatter(typeof(Figure), "text/html", f => "<div>" + ((Figure)f).ToSvg() + "</div>");
                yield return new Formatter(typeof(Figure), "text/plain", f => f.ToString());
                yield return new Formatter(typeof(Figure), "application/vnd.plotly.v1+json", f => "{\"layout\": {\"title\": \"" + ((Figure)f).Title
                    + "\"}, \"data\": [{\"y\": [1, 0.5]}]}");
            }
        }

        // No PreferredMimeTypes: every MIME type its formatters write is shown.
        [TypeFormatterSource(typeof(ImageFormatters))]
        public sealed class Image
        {
            public Image(byte[] png) { Png = png; }
            public byte[] Png { get; }
        }

        public sealed class ImageFormatters
        {
            public IEnumerable<object> CreateTypeFormatters()
            {
                yield return new Formatter(typeof(Image), "image/png", i => Convert.ToBase64String(((Image)i).Png));
                yield return new Formatter(typeof(Image), "text/plain", i => "Image of " + ((Image)i).Png.Length + " bytes");
            }
        }
        """;

    // ASP.NET Core's IHtmlContent, which the kernel writes as raw HTML; declared here so the fixture
    // needs no ASP.NET (the runner finds the interface by its full name).
    private const string Html = """
        using System.IO;
        using System.Text.Encodings.Web;
        namespace Microsoft.AspNetCore.Html
        {
            public interface IHtmlContent
            {
                void WriteTo(TextWriter writer, HtmlEncoder encoder);
            }
        }
        namespace Fixture.Html
        {
            public sealed class Badge : Microsoft.AspNetCore.Html.IHtmlContent
            {
                public Badge(string text) { Text = text; }
                public string Text { get; }
                public void WriteTo(TextWriter writer, HtmlEncoder encoder) => writer.Write("<span class=\"badge\">" + encoder.Encode(Text) + "</span>");
            }
        }
        """;

    private static string Build()
    {
        string root = Path.Combine(Path.GetTempPath(), "cnncourse-notebooks-tests", "fixtures-" + Guid.NewGuid().ToString("N")[..8]);
        string lib = Path.Combine(root, "lib");
        Directory.CreateDirectory(lib);
        string greetings = Compile(lib, "Fixture.Greetings", Greetings);
        Compile(lib, "Fixture.Library", Library, greetings);
        Compile(lib, "Fixture.Charts", Charts);
        Compile(lib, "Fixture.Html", Html);
        // Loaded assemblies do not pin files on Linux: the whole folder can go when the tests end.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp cleaner.
            }
        };
        return root;
    }

    private static string Compile(string directory, string name, string source, params string[] references)
    {
        var frameworkReferences = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.StartsWith(RuntimeEnvironment.GetRuntimeDirectory(), StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(source)],
            frameworkReferences.Concat(references.Select(r => MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        string path = Path.Combine(directory, name + ".dll");
        var result = compilation.Emit(path);
        if (!result.Success)
            throw new InvalidOperationException($"fixture {name} does not compile:\n{string.Join("\n", result.Diagnostics)}");
        return path;
    }
}
