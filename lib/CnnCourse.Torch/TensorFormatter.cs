using System.Globalization;
using System.Text;

namespace CnnCourse.Torch;

/// <summary>Prints tensors as PyTorch's print does: tensor([[1., 2.], [3., 4.]], dtype=...).</summary>
internal static class TensorFormatter
{
    private const int SummarizeThreshold = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;

    public static string Format(Tensor t)
    {
        if (t.IsDisposed) return "tensor(<disposed>)";
        var shape = t.shape;
        var type = t.dtype;
        var values = t.ToDoubleArray();
        var summarize = values.Length > SummarizeThreshold;
        var shown = summarize ? ShownValues(values, shape) : values;
        var element = ElementFormat(shown, type);

        var body = new StringBuilder();
        const string prefix = "tensor(";
        if (values.Length == 0) body.Append("[]");
        else Append(body, values, shape, 0, 0, element, summarize, prefix.Length);

        var suffixes = new List<string>();
        if (values.Length == 0 && shape.Length != 1) suffixes.Add($"size=({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")})");
        if (type is not (ScalarType.Float32 or ScalarType.Int64 or ScalarType.Bool)) suffixes.Add($"dtype=torch.{type.TorchName()}");
        if (t.device.type != DeviceType.CPU) suffixes.Add($"device='{t.device}'");
        if (t.requires_grad) suffixes.Add("requires_grad=True");
        return prefix + body + string.Concat(suffixes.Select(s => ", " + s)) + ")";
    }

    private static void Append(StringBuilder sb, double[] values, long[] shape, int dim, long offset,
                               Func<double, string> element, bool summarize, int indent)
    {
        if (shape.Length == 0)
        {
            sb.Append(element(values[0]));
            return;
        }
        long size = shape[dim];
        long stride = 1;
        for (int d = dim + 1; d < shape.Length; d++) stride *= shape[d];
        var indices = summarize && size > 2 * EdgeItems
            ? Enumerable.Range(0, EdgeItems).Select(i => (long)i).Concat(new long[] { -1 }).Concat(Enumerable.Range(0, EdgeItems).Select(i => size - EdgeItems + i))
            : Enumerable.Range(0, (int)size).Select(i => (long)i);
        sb.Append('[');
        bool last = dim == shape.Length - 1;
        bool first = true;
        int lineStart = sb.Length;
        foreach (long i in indices)
        {
            if (!first)
            {
                if (last)
                {
                    sb.Append(", ");
                    if (sb.Length - lineStart > LineWidth - indent - 10)
                    {
                        sb.Length -= 1;
                        sb.Append('\n').Append(' ', indent + dim + 1);
                        lineStart = sb.Length;
                    }
                }
                else sb.Append(',').Append('\n', shape.Length - dim - 1).Append(' ', indent + dim + 1);
            }
            first = false;
            if (i < 0) sb.Append("...");
            else if (last) sb.Append(element(values[offset + i]));
            else Append(sb, values, shape, dim + 1, offset + i * stride, element, summarize, indent);
        }
        sb.Append(']');
    }

    // The values that will be printed when summarizing (to choose a common width and style).
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

    private static Func<double, string> ElementFormat(double[] values, ScalarType type)
    {
        var inv = CultureInfo.InvariantCulture;
        if (type == ScalarType.Bool)
            return v => (v != 0 ? "True" : "False").PadLeft(values.Any(x => x == 0) ? 5 : 4);
        if (!type.IsFloatingPoint())
        {
            int intWidth = values.Length == 0 ? 1 : values.Max(v => ((long)v).ToString(inv).Length);
            return v => ((long)v).ToString(inv).PadLeft(intWidth);
        }
        var finite = values.Where(double.IsFinite).Select(Math.Abs).ToArray();
        string Special(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        if (finite.Length == 0) return v => Special(v);
        double max = finite.Max();
        var nonzero = finite.Where(v => v != 0).ToArray();
        double min = nonzero.Length > 0 ? nonzero.Min() : 0;
        bool integers = finite.All(v => v == Math.Floor(v));
        bool scientific = integers ? max > 1e8 : nonzero.Length > 0 && (max / min > 1000 || max > 1e8 || min < 1e-4);
        Func<double, string> raw =
            scientific ? v => v.ToString("0.0000e+00", inv) :
            integers ? v => v.ToString("0", inv) + "." :
            v => v.ToString("0.0000", inv);
        int width = values.Max(v => double.IsFinite(v) ? raw(v).Length : Special(v).Length);
        return v => (double.IsFinite(v) ? raw(v) : Special(v)).PadLeft(width);
    }
}
