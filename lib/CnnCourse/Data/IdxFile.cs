using System.Buffers.Binary;

namespace CnnCourse.Data;

/// <summary>Images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/>×<see cref="Columns"/>, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels);

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist): a big-endian header
/// — the magic number <c>00 00 &lt;type&gt; &lt;dimensions&gt;</c>, then one int32 per dimension —
/// followed by the data. Images are <c>0x00000803</c> (unsigned bytes, 3 dimensions: count, rows,
/// columns), labels <c>0x00000801</c> (unsigned bytes, 1 dimension). Files may be gzip-compressed
/// (told by content, not name). Every header field is checked against the data that follows; any
/// problem is a <see cref="DatasetFormatException"/> naming the file and what is wrong.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic number of an IDX file of unsigned-byte images (count × rows × columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned-byte labels (count).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file (magic 0x00000803): e.g. <c>train-images-idx3-ubyte.gz</c>.</summary>
    public static IdxImages ReadImages(string path)
    {
        var (dims, data) = Read(path, ImagesMagic, d => $"{d[0]} images of {d[1]}×{d[2]}");
        return new IdxImages(dims[0], dims[1], dims[2], data);
    }

    /// <summary>Reads a label file (magic 0x00000801): e.g. <c>train-labels-idx1-ubyte.gz</c>.</summary>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, d => $"{d[0]} labels").Data;

    /// <summary>
    /// Reads an image file and its label file into a dataset: the counts must agree and every
    /// label must name one of <paramref name="classNames"/>.
    /// </summary>
    public static ImageDataset<byte> ReadDataset(string imagesPath, string labelsPath, IReadOnlyList<string> classNames, string name)
    {
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new DatasetFormatException(labelsPath,
                $"has {labels.Length} labels but the image file {imagesPath} has {images.Count} images: the two files are not a pair");
        var ints = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classNames.Count)
                throw new DatasetFormatException(labelsPath,
                    $"label {labels[i]} at index {i} is outside the {classNames.Count} classes (0–{classNames.Count - 1})");
            ints[i] = labels[i];
        }
        return new ImageDataset<byte>(name, images.Pixels, 1, images.Rows, images.Columns, ints, classNames) { Source = imagesPath };
    }

    private static (int[] Dims, byte[] Data) Read(string path, int expectedMagic, Func<int[], string> describe)
    {
        using var file = DataFile.Open(path);
        DatasetFormatException Bad(string problem) => new(path, problem);

        Span<byte> magicBytes = stackalloc byte[4];
        int got = file.ReadFull(magicBytes);
        if (got == 0)
            throw Bad(file.IsGzip ? "the file decompresses to nothing (an empty IDX file)" : "the file is empty (0 bytes)");
        if (got < 4)
            throw Bad($"truncated: {file.What} ends after {got} bytes, inside the 4-byte IDX magic number");
        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        if (magic != expectedMagic)
            throw Bad(DescribeWrongMagic(magicBytes, expectedMagic));

        int rank = expectedMagic & 0xFF;
        int headerLength = 4 + 4 * rank;
        Span<byte> dimBytes = stackalloc byte[4 * rank];
        got = file.ReadFull(dimBytes);
        if (got < dimBytes.Length)
            throw Bad($"truncated: {file.What} ends after {4 + got} bytes, inside the {headerLength}-byte header");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes[(4 * i)..]);
            if (dims[i] < 0 || (i > 0 && dims[i] == 0))
                throw Bad($"implausible header: dimension {i} is {dims[i]} ({string.Join("×", dims[..(i + 1)])}...)");
            count *= dims[i];
            if (count > Array.MaxLength)
                throw Bad($"implausible header: {string.Join("×", dims[..(i + 1)])} bytes is more than any real dataset file holds");
        }

        string promise = $"the header promises {describe(dims)} ({headerLength + count} bytes with the header)";
        if (!file.IsGzip)
        {
            if (file.Length < headerLength + count)
                throw Bad($"truncated: {promise} but the file has {file.Length} bytes");
            if (file.Length > headerLength + count)
                throw Bad($"{promise} but the file has {file.Length} bytes, {file.Length - headerLength - count} too many: not the file its header describes");
        }
        var data = new byte[count];
        got = file.ReadFull(data);
        if (got < count)
            throw Bad($"truncated: {promise} but {file.What} ends after {headerLength + got} bytes");
        if (!file.AtEnd())
            throw Bad($"{promise} but {file.What} goes on after that: not the file its header describes");
        return (dims, data);
    }

    private static string DescribeWrongMagic(ReadOnlySpan<byte> magic, int expectedMagic)
    {
        string hex = Convert.ToHexString(magic);
        string expected = $"0x{expectedMagic:X8} ({Describe(expectedMagic)})";
        if (magic[0] != 0 || magic[1] != 0 || TypeName(magic[2]) is null || magic[3] == 0)
            return $"not an IDX file: it starts with 0x{hex}, where an IDX file of this kind starts with the magic number {expected}";
        int actual = BinaryPrimitives.ReadInt32BigEndian(magic);
        return $"wrong kind of IDX file: its magic number 0x{hex} means {Describe(actual)}, but {expected} is needed";
    }

    private static string Describe(int magic)
    {
        int rank = magic & 0xFF;
        string type = TypeName((byte)(magic >> 8)) ?? "unknown type";
        string kind = magic == ImagesMagic ? "images: " : magic == LabelsMagic ? "labels: " : "";
        return $"{kind}{type}, {rank} dimension{(rank == 1 ? "" : "s")}";
    }

    private static string? TypeName(byte type) => type switch
    {
        0x08 => "unsigned bytes",
        0x09 => "signed bytes",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => null,
    };
}
