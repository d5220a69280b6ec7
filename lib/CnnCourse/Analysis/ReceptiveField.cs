using System.Text;
using CnnCourse.Display;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>
/// One spatial layer of a chain for <see cref="ReceptiveField"/>: a convolution or a pooling window
/// (their arithmetic is the same). Write them as <c>RfLayer.Conv(3, padding: 1)</c>,
/// <c>RfLayer.Pool(2)</c> (stride = kernel, as PyTorch's pools).
/// </summary>
public sealed record RfLayer(string Name, Size2 KernelSize, Size2 Stride, Size2 Padding, Size2 Dilation)
{
    /// <summary>A convolution.</summary>
    public static RfLayer Conv(Size2 kernel, Size2? stride = null, Size2? padding = null, Size2? dilation = null, string name = "conv") =>
        Checked(new RfLayer(name, kernel, stride ?? 1, padding ?? 0, dilation ?? 1));

    /// <summary>A pooling window; the stride defaults to the kernel size.</summary>
    public static RfLayer Pool(Size2 kernel, Size2? stride = null, Size2? padding = null, string name = "pool") =>
        Checked(new RfLayer(name, kernel, stride ?? kernel, padding ?? 0, 1));

    internal static RfLayer Checked(RfLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer.Name);
        void Positive(Size2 s, string what)
        {
            if (s.Height <= 0 || s.Width <= 0) throw new ArgumentException($"RfLayer '{layer.Name}': {what} must be positive, but got {s}", what);
        }
        Positive(layer.KernelSize, "kernel");
        Positive(layer.Stride, "stride");
        Positive(layer.Dilation, "dilation");
        if (layer.Padding.Height < 0 || layer.Padding.Width < 0)
            throw new ArgumentException($"RfLayer '{layer.Name}': padding must be non-negative, but got {layer.Padding}", "padding");
        return layer;
    }

    /// <summary>The kernel's extent with dilation: d·(k − 1) + 1.</summary>
    public Size2 EffectiveKernel => new(Dilation.Height * (KernelSize.Height - 1) + 1, Dilation.Width * (KernelSize.Width - 1) + 1);
}

/// <summary>The receptive field after one layer of the chain.</summary>
/// <param name="Size">The receptive field: how many input pixels (per axis) one output pixel of this layer sees.</param>
/// <param name="Jump">The distance in input pixels between neighbouring output pixels (the product of the strides so far).</param>
/// <param name="Start">The centre of the first output pixel's receptive field, in input pixel coordinates (pixel i's centre is at i; negative when it
/// reaches into the padding).</param>
public sealed record RfRow(RfLayer Layer, Size2 Size, Size2 Jump, (double Height, double Width) Start)
{
    public string Name => Layer.Name;

    public override string ToString() =>
        $"{Name}: receptive field {Pair(Size)}, jump {Pair(Jump)}, start {Pair(Start)}";

    internal static string Pair(Size2 s) => s.Height == s.Width ? s.Height.ToString(Units.Invariant) : $"{s.Height}×{s.Width}";

    internal static string Pair((double Height, double Width) s) =>
        s.Height == s.Width ? s.Height.ToString("0.##", Units.Invariant)
            : $"{s.Height.ToString("0.##", Units.Invariant)}×{s.Width.ToString("0.##", Units.Invariant)}";
}

/// <summary>
/// The receptive field of a chain of convolutions and poolings, layer by layer, with the
/// recurrence of Araujo et al. ("Computing Receptive Fields of Convolutional Neural Networks",
/// Distill 2019), per axis, for a layer with kernel k, stride s, padding p, dilation d and
/// k' = d(k − 1) + 1:
/// <code>
/// size  = size_in + (k' − 1) · jump_in
/// jump  = jump_in · s
/// start = start_in + ((k' − 1) / 2 − p) · jump_in        (the input: size 1, jump 1, start 0)
/// </code>
/// Two stacked 3×3 convolutions see 5×5, three see 7×7; VGG-16's conv5_3 sees 196×196.
/// <code>
/// ReceptiveField.Of(net.features)                                   // from the layers of a Sequential
/// ReceptiveField.Of(RfLayer.Conv(3, padding: 1), RfLayer.Conv(3, padding: 1), RfLayer.Pool(2))
/// </code>
/// </summary>
[TypeFormatterSource(typeof(ReceptiveFieldFormatterSource), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed class ReceptiveField
{
    private ReceptiveField(IReadOnlyList<RfRow> rows) => Rows = rows;

    /// <summary>One row per layer, in order.</summary>
    public IReadOnlyList<RfRow> Rows { get; }

    /// <summary>The receptive field of the last layer (1 for an empty chain).</summary>
    public Size2 Size => Rows.Count == 0 ? new Size2(1) : Rows[^1].Size;

    /// <summary>The jump (total stride) of the last layer.</summary>
    public Size2 Jump => Rows.Count == 0 ? new Size2(1) : Rows[^1].Jump;

    /// <summary>The start of the last layer.</summary>
    public (double Height, double Width) Start => Rows.Count == 0 ? (0, 0) : Rows[^1].Start;

    /// <summary>The row of the layer called <paramref name="name"/>.</summary>
    public RfRow this[string name] => Rows.LastOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"ReceptiveField: no layer named '{name}'; the layers are {string.Join(", ", Rows.Select(r => r.Name))}");

    /// <summary>The receptive fields of a chain given layer by layer.</summary>
    public static ReceptiveField Of(params RfLayer[] layers) => Of((IEnumerable<RfLayer>)layers);

    /// <summary>The receptive fields of a chain given layer by layer.</summary>
    public static ReceptiveField Of(IEnumerable<RfLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var rows = new List<RfRow>();
        long sizeH = 1, sizeW = 1, jumpH = 1, jumpW = 1;
        double startH = 0, startW = 0;
        foreach (var given in layers)
        {
            var layer = RfLayer.Checked(given ?? throw new ArgumentException("ReceptiveField: a layer is null", nameof(layers)));
            var k = layer.EffectiveKernel;
            startH += ((k.Height - 1) / 2.0 - layer.Padding.Height) * jumpH;
            startW += ((k.Width - 1) / 2.0 - layer.Padding.Width) * jumpW;
            sizeH = checked(sizeH + (k.Height - 1) * jumpH);
            sizeW = checked(sizeW + (k.Width - 1) * jumpW);
            jumpH = checked(jumpH * layer.Stride.Height);
            jumpW = checked(jumpW * layer.Stride.Width);
            rows.Add(new RfRow(layer, new Size2(sizeH, sizeW), new Size2(jumpH, jumpW), (startH, startW)));
        }
        return new ReceptiveField(rows);
    }

    /// <summary>
    /// The receptive fields of the convolutions and poolings of <paramref name="model"/>, walked in
    /// order through nested Sequential containers (named by their paths, "features.0"), up to and
    /// including <paramref name="upTo"/> when given. The model's own children are read as a chain
    /// in declaration order too (LeNet's conv1, pool1, conv2, …; VGG's features, avgpool). Layers that act on each pixel alone
    /// (activations, BatchNorm, dropout, Identity, LocalResponseNorm) are passed over; the walk ends
    /// at the first Flatten, Linear or adaptive pooling, whose outputs see the whole image. A block
    /// that is not a Sequential (a residual or Inception block) is not a single chain: describe it
    /// with <see cref="RfLayer"/>s and call <see cref="Of(IEnumerable{RfLayer})"/>.
    /// </summary>
    public static ReceptiveField Of(nn.Module model, string? upTo = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<RfLayer>();
        bool reached = upTo is null;
        if (upTo is not null) FeatureExtractor.Resolve(model, [upTo], nameof(upTo));
        if (model is Sequential || !model.children().Any()) Walk(model, "", layers, upTo, ref reached);
        else
            foreach (var (name, child) in model.named_children())
                if (!Walk(child, name, layers, upTo, ref reached)) break;
        if (!reached)
            throw new ArgumentException($"ReceptiveField: '{upTo}' comes after the end of the chain (a Flatten, " +
                $"Linear or adaptive pooling), or is not a convolution, pooling or Sequential in it", nameof(upTo));
        return Of(layers);
    }

    // Returns false when the walk must stop (end of the spatial chain, or upTo reached).
    private static bool Walk(nn.Module module, string path, List<RfLayer> layers, string? upTo, ref bool reached)
    {
        switch (module)
        {
            case Sequential sequential:
                foreach (var (name, child) in sequential.named_children())
                    if (!Walk(child, path.Length == 0 ? name : path + "." + name, layers, upTo, ref reached)) return false;
                break;
            case Conv2d c:
                layers.Add(RfLayer.Checked(new RfLayer(Name(path, c), Size2.FromArray(c.kernel_size), Size2.FromArray(c.stride), ConvPadding(c),
                    Size2.FromArray(c.dilation))));
                break;
            case MaxPool2d m:
                layers.Add(RfLayer.Checked(new RfLayer(Name(path, m), Size2.FromArray(m.kernel_size), Size2.FromArray(m.stride ?? m.kernel_size),
                    PoolSize(m.padding, 0), PoolSize(m.dilation, 1))));
                break;
            case AvgPool2d a:
                layers.Add(RfLayer.Checked(new RfLayer(Name(path, a), Size2.FromArray(a.kernel_size), Size2.FromArray(a.stride ?? a.kernel_size),
                    PoolSize(a.padding, 0), 1)));
                break;
            case Flatten or Linear or AdaptiveAvgPool2d or AdaptiveMaxPool2d:
                return false;
            case ReLU or ReLU6 or LeakyReLU or GELU or SiLU or Hardswish or Hardsigmoid or Sigmoid or Tanh or BatchNorm2d or
                 Dropout or Dropout2d or Identity or LocalResponseNorm:
                break;
            case ConvTranspose2d:
                throw new ArgumentException($"ReceptiveField: '{path}' is a ConvTranspose2d, which upsamples; " +
                    $"the receptive-field recurrence covers convolutions and poolings only", nameof(module));
            default:
                var kind = module.children().Any() ? "a block that is not a Sequential (its branches are not a single chain)"
                    : "a layer whose spatial extent is unknown";
                throw new ArgumentException(
                    $"ReceptiveField: '{(path.Length == 0 ? Summary.Type(module) : path)}' ({Summary.Type(module)}) is {kind}; " +
                    "pass the layers of the path you mean as RfLayer.Conv(...)/RfLayer.Pool(...) to ReceptiveField.Of(layers)", nameof(module));
        }
        if (upTo is not null && path == upTo)
        {
            reached = true;
            return false;
        }
        return true;
    }

    private static string Name(string path, nn.Module m) => path.Length == 0 ? Summary.Type(m) : path;

    // padding="same" (Padding.Same) pads d(k − 1) in total, the smaller half before (PyTorch); "valid" pads nothing.
    private static Size2 ConvPadding(Conv2d c)
    {
        if (c.padding is { } padding) return Size2.FromArray(padding);
        if (c.padding_type != TorchSharp.Padding.Same) return new Size2(0);
        var (k, d) = (Size2.FromArray(c.kernel_size), Size2.FromArray(c.dilation));
        return new Size2(d.Height * (k.Height - 1) / 2, d.Width * (k.Width - 1) / 2);
    }

    // A pooling layer built without padding or dilation keeps null there.
    private static Size2 PoolSize(long[]? values, long absent) => values is null ? new Size2(absent) : Size2.FromArray(values);

    // ---- display ----------------------------------------------------------------------------

    private static readonly string[] Headers = ["Layer", "Kernel", "Stride", "Padding", "Dilation", "Receptive field", "Jump", "Start"];

    private IEnumerable<string[]> Cells() => Rows.Select(r => new[]
    {
        r.Name, RfRow.Pair(r.Layer.KernelSize), RfRow.Pair(r.Layer.Stride), RfRow.Pair(r.Layer.Padding), RfRow.Pair(r.Layer.Dilation),
        RfRow.Pair(r.Size), RfRow.Pair(r.Jump), RfRow.Pair(r.Start),
    });

    /// <summary>A table of the layers with their receptive field, jump and start.</summary>
    public override string ToString()
    {
        var cells = Cells().ToList();
        var widths = Headers.Select((h, j) => Math.Max(h.Length, cells.Select(c => c[j].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> row) => string.Join("  ", row.Select((c, j) => j == 0 ? c.PadRight(widths[j]) : c.PadLeft(widths[j]))).TrimEnd();
        var sb = new StringBuilder().Append(Line(Headers)).Append('\n').Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var c in cells) sb.Append(Line(c)).Append('\n');
        return sb.ToString();
    }

    public string ToHtml()
    {
        var sb = new StringBuilder("<table class=\"cnn-receptive-field\">\n<thead><tr>");
        foreach (var (h, j) in Headers.Select((h, j) => (h, j)))
            sb.Append("<th style=\"text-align: ").Append(j == 0 ? "left" : "right").Append("\">").Append(Units.Html(h)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var c in Cells())
        {
            sb.Append("<tr>");
            for (int j = 0; j < c.Length; j++)
                sb.Append("<td style=\"text-align: ").Append(j == 0 ? "left" : "right").Append("\">").Append(Units.Html(c[j])).Append("</td>");
            sb.Append("</tr>\n");
        }
        return sb.Append("</tbody>\n</table>").ToString();
    }
}

/// <summary>Formats a <see cref="ReceptiveField"/>: HTML and plain text.</summary>
public sealed class ReceptiveFieldFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<ReceptiveField>(MimeTypes.Html, r => r.ToHtml());
        yield return ConventionFormatter.For<ReceptiveField>(MimeTypes.PlainText, r => r.ToString());
    }
}
