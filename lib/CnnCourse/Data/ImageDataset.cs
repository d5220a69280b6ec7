using System.Collections.ObjectModel;
using System.Numerics;
using CnnCourse.Runtime;

namespace CnnCourse.Data;

/// <summary>
/// A labelled image dataset held in memory as raw arrays: <see cref="Count"/> images of
/// <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> pixels, stored N×C×H×W in one
/// array, with one integer label each and the class names. Every reader of the course returns one
/// (8-bit pixels: <c>ImageDataset&lt;byte&gt;</c>); subsets and the stratified split return new,
/// compact datasets. Turning images into tensors (DataLoader, transforms) builds on
/// <see cref="CopyImages"/>.
/// </summary>
/// <typeparam name="T">The pixel type: <c>byte</c> for datasets as published, <c>float</c> for computed ones.</typeparam>
public sealed class ImageDataset<T> where T : unmanaged, INumber<T>
{
    private readonly T[] pixels;
    private readonly int[] labels;

    /// <summary>
    /// Wraps <paramref name="pixels"/> (N×C×H×W, row-major) and <paramref name="labels"/> (N values in
    /// 0..classes-1). The dataset keeps both arrays without copying: do not change them afterwards.
    /// </summary>
    public ImageDataset(string name, T[] pixels, int channels, int height, int width, int[] labels, IReadOnlyList<string> classNames)
    {
        Check.NotNull(pixels, nameof(pixels), "ImageDataset");
        Check.NotNull(labels, nameof(labels), "ImageDataset");
        Check.NotNull(classNames, nameof(classNames), "ImageDataset");
        Check.Positive(channels, nameof(channels), "ImageDataset");
        Check.Positive(height, nameof(height), "ImageDataset");
        Check.Positive(width, nameof(width), "ImageDataset");
        if (classNames.Count == 0) throw new ArgumentException("A dataset needs at least one class name.", nameof(classNames));
        long imageSize = (long)channels * height * width;
        if (imageSize > Array.MaxLength)
            throw new ArgumentException($"An image of {channels}×{height}×{width} values is larger than one array can hold.");
        if (pixels.LongLength != imageSize * labels.Length)
            throw new ArgumentException(
                $"{labels.Length} labels need {labels.Length} images of {channels}×{height}×{width} " +
                    $"= {imageSize * labels.Length} pixel values, but there are {pixels.LongLength}.",
                nameof(pixels));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {labels[i]} at index {i} is outside the {classNames.Count} classes (0–{classNames.Count - 1}).",
                    nameof(labels));

        Name = name;
        this.pixels = pixels;
        this.labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ImageSize = (int)imageSize;
        ClassNames = classNames.ToArray().AsReadOnly();
        Labels = labels.AsReadOnly();
    }

    /// <summary>A short name for displays, e.g. "Fashion-MNIST train".</summary>
    public string Name { get; init; }

    /// <summary>Where the data was read from (a file or folder), when it was.</summary>
    public string? Source { get; init; }

    public int Count => labels.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Pixel values per image: C × H × W.</summary>
    public int ImageSize { get; }

    /// <summary>One label per image, 0..<see cref="ClassCount"/>-1.</summary>
    public ReadOnlyCollection<int> Labels { get; }

    public ReadOnlyCollection<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;

    /// <summary>All pixels, N×C×H×W row-major.</summary>
    public ReadOnlyMemory<T> Pixels => pixels;

    /// <summary>The pixels of image <paramref name="index"/>, C×H×W row-major.</summary>
    public ReadOnlyMemory<T> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return pixels.AsMemory(index * ImageSize, ImageSize);
    }

    /// <summary>Image <paramref name="index"/> and its label.</summary>
    public (ReadOnlyMemory<T> Image, int Label) this[int index] => (Image(index), labels[index]);

    /// <summary>
    /// Copies the images at <paramref name="indices"/>, in that order, into <paramref name="destination"/>
    /// (indices.Length × C×H×W values) and, when given, their labels into <paramref name="labelsOut"/>:
    /// the gather a data loader does for each batch.
    /// </summary>
    public void CopyImages(ReadOnlySpan<int> indices, Span<T> destination, Span<int> labelsOut = default)
    {
        if (destination.Length < (long)indices.Length * ImageSize)
            throw new ArgumentException($"{indices.Length} images need {(long)indices.Length * ImageSize} values; the destination holds {destination.Length}.",
                nameof(destination));
        if (!labelsOut.IsEmpty && labelsOut.Length < indices.Length)
            throw new ArgumentException($"{indices.Length} labels do not fit in {labelsOut.Length}.", nameof(labelsOut));
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {index} is outside the dataset's {Count} images.");
            pixels.AsSpan(index * ImageSize, ImageSize).CopyTo(destination.Slice(i * ImageSize, ImageSize));
            if (!labelsOut.IsEmpty) labelsOut[i] = labels[index];
        }
    }

    /// <summary>Images per class, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in labels) counts[label]++;
        return counts;
    }

    /// <summary>
    /// A new dataset of the images at <paramref name="indices"/>, in that order (repeats allowed),
    /// with the same class names.
    /// </summary>
    public ImageDataset<T> Subset(IEnumerable<int> indices) => Gather(indices, Name);

    /// <summary>A new dataset of a contiguous range of images, e.g. <c>train.Subset(..1000)</c>.</summary>
    public ImageDataset<T> Subset(Range range)
    {
        var (start, length) = range.GetOffsetAndLength(Count);
        return Gather(Enumerable.Range(start, length), Name);
    }

    /// <summary>
    /// Splits into training and validation parts with each class in the same proportion in both
    /// (to within one image), the same for the same seed on every machine:
    /// <paramref name="validationFraction"/> of the images, rounded, go to validation. Both parts
    /// keep the original order. See <see cref="StratifiedSplitIndices"/> for the exact rule.
    /// </summary>
    public (ImageDataset<T> Train, ImageDataset<T> Validation) StratifiedSplit(double validationFraction, int seed)
    {
        var (train, validation) = StratifiedSplitIndices(Labels, ClassCount, validationFraction, seed);
        return (Gather(train, $"{Name} – training part"), Gather(validation, $"{Name} – validation part"));
    }

    /// <summary>
    /// Per-channel mean and standard deviation over all pixels, on the scale the model sees:
    /// 8-bit pixels are divided by 255 (as ToTensor does before Normalize); other pixel types are
    /// taken as they are. Byte datasets are counted exactly (a histogram per channel).
    /// </summary>
    public ChannelStats ComputeChannelStats()
    {
        if (Count == 0) throw new InvalidOperationException($"{Name} has no images to compute statistics from.");
        int plane = Height * Width;
        var mean = new double[Channels];
        var std = new double[Channels];
        if (typeof(T) == typeof(byte))
        {
            var bytes = (byte[])(object)pixels;
            for (int c = 0; c < Channels; c++)
            {
                var histogram = new long[256];
                for (int i = 0; i < Count; i++)
                    foreach (byte v in bytes.AsSpan(i * ImageSize + c * plane, plane)) histogram[v]++;
                double n = (double)Count * plane, sum = 0;
                for (int v = 0; v < 256; v++) sum += histogram[v] * (v / 255.0);
                double m = sum / n, squares = 0;
                for (int v = 0; v < 256; v++) squares += histogram[v] * (v / 255.0 - m) * (v / 255.0 - m);
                mean[c] = m;
                std[c] = Math.Sqrt(squares / n);
            }
        }
        else
        {
            for (int c = 0; c < Channels; c++)
            {
                double n = (double)Count * plane, sum = 0, squares = 0;
                for (int i = 0; i < Count; i++)
                    foreach (T v in pixels.AsSpan(i * ImageSize + c * plane, plane)) sum += double.CreateChecked(v);
                double m = sum / n;
                for (int i = 0; i < Count; i++)
                    foreach (T v in pixels.AsSpan(i * ImageSize + c * plane, plane)) { double d = double.CreateChecked(v) - m; squares += d * d; }
                mean[c] = m;
                std[c] = Math.Sqrt(squares / n);
            }
        }
        return new ChannelStats(mean, std);
    }

    public override string ToString() =>
        $"{Name}: {Count} images of {Channels}×{Height}×{Width} ({typeof(T).Name}), {ClassCount} classes ({string.Join(", ", ClassNames)})";

    private ImageDataset<T> Gather(IEnumerable<int> indices, string name)
    {
        Check.NotNull(indices, nameof(indices), "ImageDataset");
        var chosen = indices as int[] ?? indices.ToArray();
        var newPixels = new T[(long)chosen.Length * ImageSize];
        var newLabels = new int[chosen.Length];
        CopyImages(chosen, newPixels, newLabels);
        return new ImageDataset<T>(name, newPixels, Channels, Height, Width, newLabels, ClassNames) { Source = Source };
    }

    /// <summary>
    /// The indices of a stratified split of <paramref name="labels"/>: each class's images are
    /// shuffled with a generator seeded by <paramref name="seed"/> and the first share of each goes
    /// to validation. Per-class validation counts are the class's share of round(N × fraction),
    /// rounded down, with the remaining images given to the classes with the largest remainders
    /// (ties to the lower class), so the total is exact and each class is within one image of its
    /// proportion. Both index lists are sorted.
    /// </summary>
    public static (int[] Train, int[] Validation) StratifiedSplitIndices(IReadOnlyList<int> labels, int classCount, double validationFraction, int seed)
    {
        Check.NotNull(labels, nameof(labels), "ImageDataset");
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie strictly between 0 and 1.");
        int n = labels.Count;
        int total = (int)Math.Round(n * validationFraction, MidpointRounding.AwayFromZero);
        if (total == 0 || total == n)
            throw new ArgumentException(
                $"A validation fraction of {validationFraction} of {n} images gives {total} " +
                    $"validation and {n - total} training images: both need at least one.",
                nameof(validationFraction));

        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) byClass[c] = [];
        for (int i = 0; i < n; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classCount)
                throw new ArgumentException($"Label {label} at index {i} is outside the {classCount} classes.", nameof(labels));
            byClass[label].Add(i);
        }

        // Largest-remainder apportionment of `total` over the classes.
        var quota = new int[classCount];
        var remainder = new long[classCount];
        int assigned = 0;
        for (int c = 0; c < classCount; c++)
        {
            long exact = (long)byClass[c].Count * total; // quota = exact / n
            quota[c] = (int)(exact / n);
            remainder[c] = exact % n;
            assigned += quota[c];
        }
        foreach (int c in Enumerable.Range(0, classCount).OrderByDescending(c => remainder[c]).ThenBy(c => c).Take(total - assigned))
            quota[c]++;

        var random = new CourseRandom(seed);
        var train = new List<int>(n - total);
        var validation = new List<int>(total);
        for (int c = 0; c < classCount; c++)
        {
            var members = byClass[c].ToArray();
            random.Shuffle(members.AsSpan());
            validation.AddRange(members.AsSpan(0, quota[c]));
            train.AddRange(members.AsSpan(quota[c]));
        }
        var trainIndices = train.ToArray();
        var validationIndices = validation.ToArray();
        Array.Sort(trainIndices);
        Array.Sort(validationIndices);
        return (trainIndices, validationIndices);
    }
}
