using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnCourse.Tests.Data;

/// <summary>
/// Builds dataset files byte by byte in the published formats (independently of the readers under
/// test), and a temporary folder that removes itself.
/// </summary>
internal static class DataFiles
{
    /// <summary>An IDX file: the 4-byte magic, one big-endian int32 per dimension, then the data.</summary>
    public static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] IdxImages(int count, int rows, int cols, byte[] pixels) => Idx(0x00000803, [count, rows, cols], pixels);

    public static byte[] IdxLabels(byte[] labels) => Idx(0x00000801, [labels.Length], labels);

    public static byte[] Gzip(byte[] data)
    {
        // .NET writes nothing at all for an empty input; a real gzip member of nothing is this:
        // header (1F 8B, deflate, no flags, no time, OS 255), an empty final deflate block (03 00), CRC 0, size 0.
        if (data.Length == 0) return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        using var memory = new MemoryStream();
        using (var gz = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return memory.ToArray();
    }

    /// <summary>Pixel values that differ from image to image and place to place: (31·i + 7·p) mod 256.</summary>
    public static byte[] Pattern(int count, int imageSize)
    {
        var pixels = new byte[count * imageSize];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < imageSize; p++)
                pixels[i * imageSize + p] = (byte)((31 * i + 7 * p) % 256);
        return pixels;
    }

    /// <summary>A CIFAR-10 binary batch: per image one label byte, then 3072 pixel bytes (R, G, B planes).</summary>
    public static byte[] CifarBatch(byte[] labels, byte[] pixels)
    {
        var bytes = new byte[labels.Length * 3073];
        for (int i = 0; i < labels.Length; i++)
        {
            bytes[i * 3073] = labels[i];
            pixels.AsSpan(i * 3072, 3072).CopyTo(bytes.AsSpan(i * 3073 + 1));
        }
        return bytes;
    }

    /// <summary>Writes the four Fashion-MNIST/MNIST files (gzipped) for a tiny dataset into <paramref name="folder"/>.</summary>
    public static void WriteIdxDataset(string folder, int trainCount = 12, int testCount = 5, bool gzip = true)
    {
        Directory.CreateDirectory(folder);
        foreach (var (prefix, count) in new[] { ("train", trainCount), ("t10k", testCount) })
        {
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            byte[] images = IdxImages(count, 28, 28, Pattern(count, 784)), labelFile = IdxLabels(labels);
            string suffix = gzip ? ".gz" : "";
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), gzip ? Gzip(images) : images);
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), gzip ? Gzip(labelFile) : labelFile);
        }
    }
}

/// <summary>A fresh temporary folder, deleted with everything in it on Dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("cnncourse-data-").FullName;

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, byte[] bytes)
    {
        string path = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Every file under the folder, relative, sorted.</summary>
    public string[] Files() => Directory.GetFiles(Path, "*", SearchOption.AllDirectories)
        .Select(f => System.IO.Path.GetRelativePath(Path, f)).Order(StringComparer.Ordinal).ToArray();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
