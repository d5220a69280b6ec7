using System.Xml.Linq;

namespace CnnCourse.Tests.Visualization;

/// <summary>
/// Checks of SVG markup, for <c>ImageGrid.ToSvg</c> (the charts are PNGs drawn by ScottPlot); goes when
/// the image grids move to SkiaSharp.
/// </summary>
internal static class Svg
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    /// <summary>Parses the SVG as XML and checks what every static figure must satisfy.</summary>
    public static XDocument Parse(string svg)
    {
        var doc = XDocument.Parse(svg);
        Assert.Equal(Ns + "svg", doc.Root!.Name);
        Assert.DoesNotContain("script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        return doc;
    }

    public static IEnumerable<XElement> WithClass(this XDocument doc, string element, string cssClass) =>
        doc.Descendants(Ns + element).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    public static XElement Group(this XDocument doc, string cssClass) => doc.WithClass("g", cssClass).Single();

    public static string[] Texts(this XElement e) => e.Descendants(Ns + "text").Select(t => t.Value).ToArray();
}
