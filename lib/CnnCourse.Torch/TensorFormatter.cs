using System.Globalization;
using System.Text;

namespace CnnCourse.Torch;

/// <summary>
/// Prints tensors as PyTorch's print does (torch/_tensor_str.py with the default print options:
/// precision 4, threshold 1000, edgeitems 3, linewidth 80): tensor([[1., 2.], [3., 4.]], dtype=...).
/// </summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;
    private const int Precision = 4;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(Tensor t)
    {
        if (t.IsDisposed) return "tensor(<disposed>)";
        var shape = t.shape;
        var type = t.dtype;
        var values = t.ToDoubleArray();
        bool summarize = values.Length > Threshold;
        var formatter = new ElementFormatter(summarize ? ShownValues(values, shape) : values, type);

        const string prefix = "tensor(";
        string body;
        if (values.Length == 0 && shape.Length > 0) body = "[]";
        else body = Str(values, shape, 0, 0, prefix.Length, summarize, formatter);

        var suffixes = new List<string>();
        if (values.Length == 0 && shape.Length != 1) suffixes.Add($"size=({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")})");
        if (type is not (ScalarType.Float32 or ScalarType.Int64 or ScalarType.Bool)) suffixes.Add($"dtype=torch.{type.TorchName()}");
        if (t.device.type != DeviceType.CPU) suffixes.Add($"device='{t.device}'");
        if (t.requires_grad) suffixes.Add("requires_grad=True");
        return prefix + body + string.Concat(suffixes.Select(s => ", " + s)) + ")";
    }

    // _tensor_str_with_formatter: the sub-tensor at `offset` made of dimensions dim… of `shape`.
    private static string Str(double[] values, long[] shape, int dim, long offset, int indent, bool summarize, ElementFormatter formatter)
    {
        int rank = shape.Length - dim;
        if (rank == 0) return formatter.Format(values[offset]);
        long size = shape[dim];
        long stride = 1;
        for (int d = dim + 1; d < shape.Length; d++) stride *= shape[d];
        bool cut = summarize && size > 2 * EdgeItems;
        IEnumerable<long> Indices() => cut
            ? Enumerable.Range(0, EdgeItems).Select(i => (long)i).Append(-1).Concat(Enumerable.Range(0, EdgeItems).Select(i => size - EdgeItems + i))
            : Enumerable.Range(0, (int)size).Select(i => (long)i);

        if (rank == 1)
        {
            // _vector_str: as many elements per line as fit in the line width after the indent.
            int elementLength = formatter.Width + 2;
            int perLine = Math.Max(1, (LineWidth - indent) / elementLength);
            var items = Indices().Select(i => i < 0 ? " ..." : formatter.Format(values[offset + i])).ToList();
            var lines = new List<string>();
            for (int i = 0; i < items.Count; i += perLine) lines.Add(string.Join(", ", items.Skip(i).Take(perLine)));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }

        var slices = Indices().Select(i => i < 0 ? "..." : Str(values, shape, dim + 1, offset + i * stride, indent + 1, summarize, formatter));
        return "[" + string.Join("," + new string('\n', rank - 1) + new string(' ', indent + 1), slices) + "]";
    }

    // get_summarized_data: the values that are printed when summarizing (they choose the format).
    private static double[] ShownValues(double[] values, long[] shape)
    {
        if (shape.Length == 0) return values;
        var result = new List<double>();
        void Walk(int dim, long offset)
        {
            long size = shape[dim];
            long stride = 1;
            for (int d = dim + 1; d < shape.Length; d++) stride *= shape[d];
            var indices = size > 2 * EdgeItems
                ? Enumerable.Range(0, EdgeItems).Select(i => (long)i).Concat(Enumerable.Range(0, EdgeItems).Select(i => size - EdgeItems + i))
                : Enumerable.Range(0, (int)size).Select(i => (long)i);
            foreach (var i in indices)
                if (dim == shape.Length - 1) result.Add(values[offset + i]);
                else Walk(dim + 1, offset + i * stride);
        }
        Walk(0, 0);
        return result.ToArray();
    }

    /// <summary>PyTorch's _Formatter: one style and width for all elements of a tensor.</summary>
    private sealed class ElementFormatter
    {
        private readonly bool floating;
        private readonly bool intMode = true;
        private readonly bool sciMode;
        private readonly ScalarType type;

        public int Width { get; } = 1;

        public ElementFormatter(double[] values, ScalarType type)
        {
            this.type = type;
            floating = type.IsFloatingPoint();
            if (!floating)
            {
                foreach (var v in values) Width = Math.Max(Width, Plain(v).Length);
                return;
            }
            var finite = values.Where(v => double.IsFinite(v) && v != 0).ToArray();
            if (finite.Length == 0) return;
            double min = finite.Min(Math.Abs), max = finite.Max(Math.Abs);
            intMode = finite.All(v => v == Math.Ceiling(v));
            sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
            foreach (var v in finite)
                Width = Math.Max(Width, sciMode ? Scientific(v).Length : intMode ? Fixed(v, 0).Length + 1 : Fixed(v, Precision).Length);
        }

        public string Format(double value)
        {
            string text;
            if (!floating) text = Plain(value);
            else if (sciMode) text = Scientific(value);
            else if (intMode) text = double.IsFinite(value) ? Fixed(value, 0) + "." : Fixed(value, 0);
            else text = Fixed(value, Precision);
            return text.PadLeft(Width);
        }

        private string Plain(double v) => type == ScalarType.Bool ? (v != 0 ? "True" : "False") : ((long)v).ToString(Inv);

        // Python's '{:.4f}': exact decimal rounding (ties to even), as .NET's "F" format does.
        private static string Fixed(double v, int decimals) =>
            double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : Signed(v, v.ToString("F" + decimals, Inv));

        // Python's '{:.4e}': 1.2346e+08 (at least two exponent digits).
        private static string Scientific(double v)
        {
            if (!double.IsFinite(v)) return Fixed(v, 0);
            string s = v.ToString("E" + Precision, Inv); // 1.2346E+008
            int e = s.IndexOf('E');
            int exponent = int.Parse(s[(e + 1)..], Inv);
            return Signed(v, s[..e]) + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", Inv);
        }

        // Python keeps the sign of -0.0 ("-0."); make sure the text does too.
        private static string Signed(double v, string text) =>
            double.IsNegative(v) && !text.StartsWith('-') ? "-" + text : text;
    }
}
