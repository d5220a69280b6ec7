using SkiaSharp;

namespace CnnCourse.Visualization;

/// <summary>The one font family of the course's pictures: charts (through ScottPlot) and image grids (through SkiaSharp).</summary>
internal static class CourseFont
{
    /// <summary>
    /// The first sans-serif family installed (fonts-dejavu-core on Debian and in the course's setup), so a
    /// picture does not depend on which family a system lists first. ScottPlot's own guess can be a serif
    /// family: on Debian 12 its "sans" is DejaVu Serif.
    /// </summary>
    public static string Sans => SansFamily.Value;

    private static readonly Lazy<string> SansFamily = new(() =>
    {
        var installed = SKFontManager.Default.FontFamilies.ToHashSet();
        return new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans" }.FirstOrDefault(installed.Contains)
            ?? ScottPlot.Fonts.Default;
    });
}
