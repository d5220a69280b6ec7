using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace CnnCourse.Data.Transforms;

/// <summary>
/// Pads the borders, like torchvision's <c>Pad</c>: the same amount on every side, or (left, top,
/// right, bottom); constant <paramref name="fill"/>, or reflect/replicate/circular padding.
/// </summary>
public sealed class Pad : ITransform
{
    public Pad(int padding, double fill = 0, PaddingModes mode = PaddingModes.Constant) : this(padding, padding, padding, padding, fill, mode) { }

    public Pad(int left, int top, int right, int bottom, double fill = 0, PaddingModes mode = PaddingModes.Constant)
    {
        foreach (var (amount, name) in new[] { (left, nameof(left)), (top, nameof(top)), (right, nameof(right)), (bottom, nameof(bottom)) })
            Check.NotNegative(amount, name, nameof(Pad));
        (Left, Top, Right, Bottom, Fill, Mode) = (left, top, right, bottom, fill, mode);
    }

    public int Left { get; }
    public int Top { get; }
    public int Right { get; }
    public int Bottom { get; }
    public double Fill { get; }
    public PaddingModes Mode { get; }

    public Tensor Apply(Tensor images, Random random)
    {
        ImageLayout.Of(images, nameof(Pad));
        return pad(images, new long[] { Left, Right, Top, Bottom }, Mode, Fill);
    }

    public override string ToString() => $"Pad(left={Left}, top={Top}, right={Right}, bottom={Bottom}, {Mode})";
}

/// <summary>
/// Crops the centre, like torchvision's <c>CenterCrop</c> (the same offsets, rounding half to even);
/// an image smaller than the crop is first padded with zeros to the crop size.
/// </summary>
public sealed class CenterCrop : ITransform
{
    public CenterCrop(int size) : this(size, size) { }

    public CenterCrop(int height, int width) =>
        (Height, Width) = (Check.Positive(height, nameof(height), nameof(CenterCrop)), Check.Positive(width, nameof(width), nameof(CenterCrop)));

    public int Height { get; }
    public int Width { get; }

    public Tensor Apply(Tensor images, Random random)
    {
        var layout = ImageLayout.Of(images, nameof(CenterCrop));
        if (layout.H < Height || layout.W < Width)
        {
            long padW = Math.Max(0, Width - layout.W), padH = Math.Max(0, Height - layout.H);
            using var padded = pad(images, new long[] { padW / 2, (padW + 1) / 2, padH / 2, (padH + 1) / 2 });
            return Apply(padded, random);
        }
        long top = (long)Math.Round((layout.H - Height) / 2.0, MidpointRounding.ToEven);
        long left = (long)Math.Round((layout.W - Width) / 2.0, MidpointRounding.ToEven);
        using var rows = images.narrow(layout.HeightDim, top, Height);
        return rows.narrow(layout.HeightDim + 1, left, Width).contiguous();
    }

    public override string ToString() => $"CenterCrop({Height}×{Width})";
}

/// <summary>
/// A crop at a random position, after optional padding, like torchvision's <c>RandomCrop</c>: the
/// standard CIFAR augmentation is <c>new RandomCrop(32, padding: 4)</c>. In a batch every image gets
/// its own position.
/// </summary>
public sealed class RandomCrop : ITransform
{
    public RandomCrop(int size, int padding = 0, double fill = 0, PaddingModes paddingMode = PaddingModes.Constant)
    {
        (Size, Padding, Fill, PaddingMode) = (Check.Positive(size, nameof(size), nameof(RandomCrop)),
                                              Check.NotNegative(padding, nameof(padding), nameof(RandomCrop)), fill, paddingMode);
    }

    public int Size { get; }
    public int Padding { get; }
    public double Fill { get; }
    public PaddingModes PaddingMode { get; }

    public Tensor Apply(Tensor images, Random random)
    {
        Check.NotNull(random, nameof(random), nameof(RandomCrop));
        var layout = ImageLayout.Of(images, nameof(RandomCrop));
        long height = layout.H + 2 * Padding, width = layout.W + 2 * Padding;
        if (height < Size || width < Size)
            throw new ArgumentException($"RandomCrop({Size}, padding: {Padding}) cannot crop {Size}×{Size} " +
                $"from {layout.H}×{layout.W} images ({height}×{width} padded).", nameof(images));
        using var padded = Padding > 0 ? pad(images, new long[] { Padding, Padding, Padding, Padding }, PaddingMode, Fill) : images.alias();
        Tensor Crop(Tensor image, int hDim)
        {
            long top = random.Next((int)(height - Size + 1)), left = random.Next((int)(width - Size + 1));
            using var rows = image.narrow(hDim, top, Size);
            return rows.narrow(hDim + 1, left, Size);
        }
        if (!layout.Batched) { using var crop = Crop(padded, 1); return crop.contiguous(); }
        var crops = new Tensor[layout.N];
        try
        {
            for (long i = 0; i < layout.N; i++)
            {
                using var image = padded[i];
                crops[i] = Crop(image, 1);
            }
            return torch.stack(crops);
        }
        finally { foreach (var c in crops) c?.Dispose(); }
    }

    public override string ToString() => $"RandomCrop({Size}, padding={Padding})";
}

/// <summary>
/// Mirrors left–right with probability <paramref name="p"/>, like torchvision's
/// <c>RandomHorizontalFlip</c>; in a batch each image is decided on its own.
/// </summary>
public sealed class RandomHorizontalFlip : ITransform
{
    public RandomHorizontalFlip(double p = 0.5)
    {
        P = Check.Probability(p, nameof(p), nameof(RandomHorizontalFlip));
    }

    public double P { get; }

    public Tensor Apply(Tensor images, Random random)
    {
        Check.NotNull(random, nameof(random), nameof(RandomHorizontalFlip));
        var layout = ImageLayout.Of(images, nameof(RandomHorizontalFlip));
        var flip = new bool[layout.N];
        for (int i = 0; i < flip.Length; i++) flip[i] = random.NextDouble() < P;
        if (!flip.Contains(true)) return images.alias();
        if (!layout.Batched || !flip.Contains(false)) return images.flip(-1);
        using var mask = torch.tensor(flip, new long[] { layout.N, 1, 1, 1 }, device: images.device);
        using var mirrored = images.flip(-1);
        return torch.where(mask, mirrored, images);
    }

    public override string ToString() => $"RandomHorizontalFlip(p={P})";
}

/// <summary>
/// Resizes with bilinear interpolation (no antialiasing), like torchvision's <c>Resize</c> on
/// tensors: to <c>height × width</c>, or with one size, the shorter side to that size keeping the
/// aspect ratio. Fashion-MNIST's 28-pixel images become 32 pixels for models built for CIFAR.
/// </summary>
public sealed class Resize : ITransform
{
    private readonly bool shorterSide;

    public Resize(int size)
    {
        Check.Positive(size, nameof(size), nameof(Resize));
        (Height, Width, shorterSide) = (size, size, true);
    }

    public Resize(int height, int width) =>
        (Height, Width) = (Check.Positive(height, nameof(height), nameof(Resize)), Check.Positive(width, nameof(width), nameof(Resize)));

    public int Height { get; }
    public int Width { get; }

    public Tensor Apply(Tensor images, Random random)
    {
        var layout = ImageLayout.Of(images, nameof(Resize));
        if (!images.is_floating_point())
            throw new ArgumentException($"Resize interpolates, so it expects floating-point images, but got {images.dtype}.", nameof(images));
        long h = Height, w = Width;
        if (shorterSide)
        {
            // torchvision: the shorter side becomes `size`, the longer one int(size * long / short).
            if (layout.H <= layout.W) { h = Height; w = (long)(Height * (double)layout.W / layout.H); }
            else { w = Width; h = (long)(Width * (double)layout.H / layout.W); }
        }
        if (h == layout.H && w == layout.W) return images.alias();
        if (layout.Batched) return interpolate(images, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        using var batch = images.unsqueeze(0);
        using var resized = interpolate(batch, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        return resized.squeeze(0);
    }

    public override string ToString() => shorterSide ? $"Resize({Height})" : $"Resize({Height}×{Width})";
}
