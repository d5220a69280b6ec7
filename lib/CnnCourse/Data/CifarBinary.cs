using System.Text;

namespace CnnCourse.Data;

/// <summary>Images and labels read from one CIFAR-10 binary batch: <see cref="Count"/> images of 3×32×32 (CHW).</summary>
public sealed record CifarBatch(int Count, byte[] Pixels, byte[] Labels);

/// <summary>
/// Reads CIFAR-10's binary version (www.cs.toronto.edu/~kriz/cifar.html, "suitable for C
/// programs"): <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> and <c>test_batch.bin</c>, each a
/// run of 3073-byte records — one label byte (0–9), then 1024 red, 1024 green and 1024 blue bytes
/// of a 32×32 image, row-major, which is exactly CHW — and <c>batches.meta.txt</c>, one class name a
/// line. The format has no header, so a file is checked by its length (a whole number of records)
/// and its labels (0–9); anything else is a <see cref="DatasetFormatException"/> naming the file.
/// Gzip-compressed batches are read too (told by content).
/// </summary>
public static class CifarBinary
{
    public const int Channels = 3, Height = 32, Width = 32;

    /// <summary>Pixel bytes of one image (3 × 32 × 32).</summary>
    public const int ImageBytes = Channels * Height * Width;

    /// <summary>Bytes of one record: the label byte and the image.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>Images in each official batch file.</summary>
    public const int ImagesPerBatch = 10_000;

    /// <summary>Number of classes (labels 0–9).</summary>
    public const int ClassCount = 10;

    /// <summary>Reads one batch file.</summary>
    public static CifarBatch ReadBatch(string path)
    {
        using var file = DataFile.Open(path);
        DatasetFormatException Bad(string problem) => new(path, problem);
        if (file.Length == 0) throw Bad("the file is empty (0 bytes)");

        // Read whole records until the data ends; the length alone must be a whole number of records.
        var records = new List<byte[]>();
        var chunk = new byte[RecordBytes * 1000];
        long total = 0;
        while (true)
        {
            int got = file.ReadFull(chunk);
            total += got;
            if (got == chunk.Length) { records.Add(chunk); chunk = new byte[chunk.Length]; continue; }
            if (got > 0) records.Add(chunk[..got]);
            break;
        }
        if (total == 0) throw Bad("the file decompresses to nothing (an empty CIFAR batch)");
        if (total % RecordBytes != 0)
            throw Bad($"{file.What} has {total} bytes, not a whole number of {RecordBytes}-byte records " +
                      $"(1 label byte + {ImageBytes} pixel bytes): {total / RecordBytes} records and " +
                          $"{total % RecordBytes} bytes over — truncated, or not a CIFAR-10 binary batch");
        if (total / RecordBytes > Array.MaxLength / ImageBytes)
            throw Bad($"{total} bytes is more than one batch can hold in memory");

        int count = (int)(total / RecordBytes);
        var pixels = new byte[(long)count * ImageBytes];
        var labels = new byte[count];
        int record = 0;
        foreach (var block in records)
        {
            for (int offset = 0; offset < block.Length; offset += RecordBytes, record++)
            {
                byte label = block[offset];
                if (label >= ClassCount)
                    throw Bad($"record {record} has label {label}, but CIFAR-10 labels are 0–{ClassCount - 1}: not a CIFAR-10 binary batch " +
                              "(CIFAR-100's binary files have two label bytes per record)");
                labels[record] = label;
                block.AsSpan(offset + 1, ImageBytes).CopyTo(pixels.AsSpan(record * ImageBytes));
            }
        }
        return new CifarBatch(count, pixels, labels);
    }

    /// <summary>
    /// Reads <c>batches.meta.txt</c>: one class name a line, blank lines ignored; there must be 10.
    /// </summary>
    public static string[] ReadClassNames(string path)
    {
        using var file = DataFile.Open(path);
        var bytes = new byte[Math.Min(file.Length * 64 + 1024, 1 << 20)];
        int got = file.ReadFull(bytes);
        if (got == 0) throw new DatasetFormatException(path, "the file is empty: expected 10 class names, one a line");
        if (got == bytes.Length) throw new DatasetFormatException(path, "too long for a list of 10 class names");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, got);
        }
        catch (DecoderFallbackException)
        {
            throw new DatasetFormatException(path, "not text: expected 10 class names, one a line");
        }
        var names = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != ClassCount)
            throw new DatasetFormatException(path, $"has {names.Length} class names, but CIFAR-10 has {ClassCount} (one a line)");
        return names;
    }
}
