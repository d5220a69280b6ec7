using System.Globalization;

namespace CnnCourse.Torch.Modules;

/// <summary>Values written as Python writes them, for PyTorch-identical <c>extra_repr</c> strings.</summary>
internal static class PyRepr
{
    public static string Bool(bool value) => value ? "True" : "False";

    /// <summary>Python's repr of a float: 0.1, 1e-05, 1.0, 0.0001, 2.5e+16.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        // the shortest digits that round-trip, and the decimal exponent of the first one
        var (digits, exponent) = ShortestDigits(Math.Abs(value));
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (value != 0 && (exponent < -4 || exponent >= 16))
        {
            string mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        string plain;
        if (exponent < 0) plain = "0." + new string('0', -exponent - 1) + digits;
        else if (digits.Length <= exponent + 1) plain = digits + new string('0', exponent + 1 - digits.Length) + ".0";
        else plain = digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
        return sign + plain;
    }

    private static (string digits, int exponent) ShortestDigits(double magnitude)
    {
        if (magnitude == 0) return ("0", 0);
        var r = magnitude.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(new[] { 'E', 'e' });
        int exponent = e >= 0 ? int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture) : 0;
        var body = e >= 0 ? r[..e] : r;
        int dot = body.IndexOf('.');
        string intPart = dot >= 0 ? body[..dot] : body, fraction = dot >= 0 ? body[(dot + 1)..] : "";
        string all = intPart + fraction;
        int leading = all.Length - all.TrimStart('0').Length;
        string digits = all.Trim('0');
        if (digits.Length == 0) digits = "0";
        // the first significant digit sits at position `leading` counted from the start of intPart
        exponent += intPart.Length - 1 - leading;
        return (digits, exponent);
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A pair as a Python tuple: (3, 3).</summary>
    public static string Pair(Size2 size) => size.ToString();

    /// <summary>A pooling size as PyTorch keeps it: the number when both agree, else the tuple.</summary>
    public static string Size(Size2 size) => size.Height == size.Width ? Int(size.Height) : size.ToString();

    /// <summary>A Python tuple of ints: (64,) or (2, 3).</summary>
    public static string Tuple(IReadOnlyList<long> values) =>
        values.Count == 1 ? $"({Int(values[0])},)" : "(" + string.Join(", ", values.Select(Int)) + ")";
}
