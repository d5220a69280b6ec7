using System.Linq.Expressions;
using System.Reflection;
using System.Xml.Linq;
using CnnCourse.Display;
using CnnCourse.Visualization;

namespace CnnCourse.Tests.Visualization;

/// <summary>
/// Displays the library's figures the way .NET Interactive does for a type it has no package reference
/// to: find an attribute named TypeFormatterSourceAttribute, read FormatterSourceType and
/// PreferredMimeTypes by reflection, call CreateTypeFormatters and compile each formatter's
/// Format(object, TextWriter) into a delegate.
/// </summary>
public class DisplayConventionTests
{
    private static readonly int[,] Counts = { { 5, 1 }, { 2, 7 } };

    public static TheoryData<string> Displayables() => new()
    {
        nameof(LineChart), nameof(BarChart), nameof(ScatterChart), nameof(Heatmap), nameof(FigureRow), nameof(ImageGrid), nameof(Table),
    };

    private static object Create(string type) => type switch
    {
        nameof(LineChart) => Chart.Line("Loss").Add("train", [1.0, 0.5]),
        nameof(BarChart) => Chart.Bar(["a", "b"]).Add("s", [1.0, 2]),
        nameof(ScatterChart) => Chart.Scatter().Add("g", [1.0, 2], [3.0, 4], ["p", "q"]),
        nameof(Heatmap) => Chart.ConfusionMatrix(Counts, ["cat", "dog"]),
        nameof(FigureRow) => Chart.Row("Both", Chart.Line("Loss").Add("train", [1.0, 0.5]), Chart.Bar(["a", "b"]).Add("s", [1.0, 2])),
        nameof(ImageGrid) => ImageGrid.FromPixels(new float[2 * 4 * 4], 2, 1, 4, 4, ["x", "y"]),
        nameof(Table) => new Table("a", "b").AddRow("x", 1),
        _ => throw new ArgumentException(type),
    };

    /// <summary>What a host finds by convention: (preferred MIME types, MIME type → formatting delegate).</summary>
    private static (string[]? Preferred, Dictionary<string, Func<object, TextWriter, bool>> Formatters, List<object> Raw) Discover(Type type)
    {
        var attribute = type.GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var attributeType = attribute.GetType();
        var sourceType = (Type)attributeType.GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var preferred = (string[]?)attributeType.GetProperty("PreferredMimeTypes")!.GetValue(attribute);
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = ((System.Collections.IEnumerable)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).Cast<object>().ToList();
        var result = new Dictionary<string, Func<object, TextWriter, bool>>();
        foreach (var f in formatters)
        {
            var mime = (string)f.GetType().GetProperty("MimeType")!.GetValue(f)!;
            var formatted = (Type)f.GetType().GetProperty("Type")!.GetValue(f)!;
            Assert.True(formatted.IsAssignableFrom(type), $"{mime} formatter is for {formatted}, not {type}");
            var method = f.GetType().GetMethod("Format")!;
            var value = Expression.Parameter(typeof(object));
            var writer = Expression.Parameter(typeof(TextWriter));
            var call = Expression.Call(Expression.Constant(f), method, value, writer);
            result.Add(mime, Expression.Lambda<Func<object, TextWriter, bool>>(call, value, writer).Compile());
        }
        return (preferred, result, formatters);
    }

    private static string Format(Func<object, TextWriter, bool> formatter, object value)
    {
        using var writer = new StringWriter();
        Assert.True(formatter(value, writer));
        return writer.ToString();
    }

    [Theory]
    [MemberData(nameof(Displayables))]
    public void Every_displayable_type_carries_the_attribute_and_its_preferred_mime_types_have_formatters(string typeName)
    {
        var value = Create(typeName);
        var (preferred, formatters, _) = Discover(value.GetType());
        Assert.NotNull(preferred);
        Assert.NotEmpty(preferred);
        Assert.All(preferred, m => Assert.Contains(m, formatters.Keys));
        Assert.Contains(MimeTypes.PlainText, formatters.Keys);
        Assert.Contains(MimeTypes.Html, formatters.Keys);
        Assert.True(preferred.Contains(MimeTypes.Svg) || preferred.Contains(MimeTypes.Png) || preferred.Contains(MimeTypes.Html),
                    "a static picture or table is shown by default");
        foreach (var (mime, formatter) in formatters) Assert.False(string.IsNullOrWhiteSpace(Format(formatter, value)), mime);
        Assert.False(formatters[MimeTypes.PlainText](new object(), new StringWriter()), "a formatter declines other types");
    }

    [Fact]
    public void A_line_chart_formats_as_png_and_plotly_json_in_one_output_with_html_and_text_beside()
    {
        var chart = (LineChart)Create(nameof(LineChart));
        var (preferred, f, _) = Discover(typeof(LineChart));
        // Both renderings in the bundle the kernel writes; no text/html in it, or GitHub would show the
        // HTML rather than the picture.
        Assert.Equal([MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText], preferred!);
        var base64 = Format(f[MimeTypes.Png], chart);
        Assert.DoesNotContain("data:", base64);
        Assert.Equal(chart.ToPng(), Convert.FromBase64String(base64));
        using var plotly = System.Text.Json.JsonDocument.Parse(Format(f[MimeTypes.Plotly], chart));
        Assert.Equal("train", plotly.RootElement.GetProperty("data")[0].GetProperty("name").GetString());
        var img = XElement.Parse(Format(f[MimeTypes.Html], chart));
        Assert.Equal("img", img.Name.LocalName);
        Assert.Equal("data:image/png;base64," + base64, (string?)img.Attribute("src"));
        Assert.Equal("LineChart \"Loss\": 1 series (train), 2 points", Format(f[MimeTypes.PlainText], chart));
    }

    [Theory]
    [InlineData(nameof(BarChart))]
    [InlineData(nameof(ScatterChart))]
    [InlineData(nameof(Heatmap))]
    [InlineData(nameof(FigureRow))]
    public void Every_chart_formats_as_png_and_plotly_json_in_one_output_with_html_and_text_beside(string typeName)
    {
        var chart = (Figure)Create(typeName);
        var (preferred, f, _) = Discover(chart.GetType());
        Assert.Equal([MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText], preferred!);
        var base64 = Format(f[MimeTypes.Png], chart);
        Assert.Equal(chart.ToPng(), Convert.FromBase64String(base64));
        using var plotly = System.Text.Json.JsonDocument.Parse(Format(f[MimeTypes.Plotly], chart));
        Assert.True(plotly.RootElement.GetProperty("data").GetArrayLength() >= 1);
        Assert.Equal("data:image/png;base64," + base64, (string?)XElement.Parse(Format(f[MimeTypes.Html], chart)).Attribute("src"));
        Assert.DoesNotContain('\n', Format(f[MimeTypes.PlainText], chart));
        Assert.StartsWith(typeName, Format(f[MimeTypes.PlainText], chart));
    }

    [Fact]
    public void Image_grid_formats_png_as_base64_and_html_as_a_data_uri()
    {
        var grid = (ImageGrid)Create(nameof(ImageGrid));
        var (preferred, f, _) = Discover(typeof(ImageGrid));
        Assert.Equal([MimeTypes.Png, MimeTypes.PlainText], preferred!);
        var base64 = Format(f[MimeTypes.Png], grid);
        Assert.DoesNotContain("data:", base64);
        using var png = SkiaSharp.SKBitmap.Decode(Convert.FromBase64String(base64));
        Assert.Equal(grid.ToPng(), Convert.FromBase64String(base64));
        var img = XElement.Parse(Format(f[MimeTypes.Html], grid));
        Assert.Equal("img", img.Name.LocalName);
        Assert.Equal("data:image/png;base64," + base64, (string?)img.Attribute("src"));
        Assert.Equal(png.Width.ToString(), (string?)img.Attribute("width"));
        Assert.StartsWith("ImageGrid: 2 grayscale images of 4 x 4", Format(f[MimeTypes.PlainText], grid));
    }

    [Fact]
    public void Table_formats_as_html_and_aligned_text()
    {
        var table = (Table)Create(nameof(Table));
        var (preferred, f, _) = Discover(typeof(Table));
        Assert.Equal([MimeTypes.Html, MimeTypes.PlainText], preferred!);
        Assert.Equal(table.ToHtml(), Format(f[MimeTypes.Html], table));
        Assert.Equal("a  b\n-  -\nx  1\n", Format(f[MimeTypes.PlainText], table));
    }

    [Fact]
    public void The_attribute_has_the_shape_of_dotnet_interactives()
    {
        var t = typeof(TypeFormatterSourceAttribute);
        Assert.Equal("CnnCourse.Display", t.Namespace);
        Assert.NotNull(t.GetConstructor([typeof(Type)]));
        Assert.Equal(typeof(Type), t.GetProperty("FormatterSourceType")!.PropertyType);
        var preferred = t.GetProperty("PreferredMimeTypes")!;
        Assert.Equal(typeof(string[]), preferred.PropertyType);
        Assert.True(preferred.CanWrite);
        var usage = t.GetCustomAttribute<AttributeUsageAttribute>()!;
        Assert.True(usage.ValidOn.HasFlag(AttributeTargets.Class));
        // Unset PreferredMimeTypes stays null: .NET Interactive rejects an empty list.
        Assert.Null(new TypeFormatterSourceAttribute(typeof(object)).PreferredMimeTypes);
    }
}
