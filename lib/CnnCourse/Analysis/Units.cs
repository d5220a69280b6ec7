using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>Number and shape texts shared by the analysis results (invariant culture).</summary>
internal static class Units
{
    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"[1, 64, 112, 112]", as torchinfo prints shapes.</summary>
    public static string Shape(IReadOnlyList<long>? shape) =>
        shape is null ? "--" : "[" + string.Join(", ", shape.Select(d => d.ToString(Invariant))) + "]";

    /// <summary>"25,557,032".</summary>
    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary>A count with a decimal prefix: "4.09 G", "300.77 M", "61.71 k", "812".</summary>
    public static string Scaled(double value, string unit = "")
    {
        var (scaled, prefix) = Math.Abs(value) switch
        {
            >= 1e12 => (value / 1e12, "T"),
            >= 1e9 => (value / 1e9, "G"),
            >= 1e6 => (value / 1e6, "M"),
            >= 1e3 => (value / 1e3, "k"),
            _ => (value, ""),
        };
        var number = prefix.Length == 0 && value == Math.Floor(value) ? value.ToString("0", Invariant) : scaled.ToString("0.00", Invariant);
        var suffix = prefix + unit;
        return suffix.Length == 0 ? number : number + " " + suffix;
    }

    /// <summary>Bytes in megabytes (10⁶ bytes, as torchinfo): "102.23 MB".</summary>
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.00", Invariant) + " MB";

    /// <summary>Milliseconds with three significant digits at least: "12.3 ms", "0.412 ms".</summary>
    public static string Milliseconds(double ms) =>
        (ms >= 100 ? ms.ToString("0", Invariant) : ms >= 10 ? ms.ToString("0.0", Invariant) : ms >= 1 ? ms.ToString("0.00", Invariant)
            : ms.ToString("0.000", Invariant)) + " ms";

    public static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    public static long Numel(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    /// <summary>PyTorch's name of a dtype: "float32", "bfloat16", "int64", "uint8".</summary>
    public static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte => "uint8",
        ScalarType.Int8 => "int8",
        ScalarType.ComplexFloat32 => "complex64",
        ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}
