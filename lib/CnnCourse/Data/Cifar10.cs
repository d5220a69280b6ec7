using System.Formats.Tar;
using System.IO.Compression;
using CnnCourse.Runtime;

namespace CnnCourse.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"): 60,000
/// colour images of 32×32 in 10 classes, 50,000 to train (five batches) and 10,000 to test, read
/// from the binary version (<see cref="CifarBinary"/>). The download is the authors'
/// <c>cifar-10-binary.tar.gz</c> (MD5 published on their page), unpacked with System.Formats.Tar
/// into ROOT/cifar-10-batches-bin.
/// </summary>
public static class Cifar10
{
    /// <summary>The folder the archive unpacks into, and the dataset's folder under a data root.</summary>
    public const string FolderName = "cifar-10-batches-bin";

    /// <summary>The class-names file inside <see cref="FolderName"/>.</summary>
    public const string MetaFile = "batches.meta.txt";

    /// <summary>The five training batches, in order.</summary>
    public static IReadOnlyList<string> TrainBatches { get; } = Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();

    public const string TestBatch = "test_batch.bin";

    public static DatasetDefinition Definition { get; } = new()
    {
        Name = "CIFAR-10",
        LoaderName = nameof(Cifar10),
        FolderName = FolderName,
        ClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
        Mirrors = ["https://www.cs.toronto.edu/~kriz/", "http://www.cs.toronto.edu/~kriz/"],
        Downloads = [new("cifar-10-binary.tar.gz", Checksum.Md5("c32a1d4ab5d03f1284b67883e8d87530"))],
        Unpack = ExtractBinaryArchive,
    };

    public static IReadOnlyList<string> Classes => Definition.ClassNames;

    /// <summary>
    /// Loads the 50,000 training or 10,000 test images (3×32×32, CHW), found by
    /// <see cref="DatasetLocator"/>; with <paramref name="download"/>, fetches and unpacks the
    /// archive first when they are nowhere.
    /// </summary>
    public static ImageDataset<byte> Load(bool train = true, string? root = null, bool download = false) =>
        Load(Definition, train, root, download);

    /// <summary>Downloads and unpacks the binary archive into ROOT/cifar-10-batches-bin; returns that folder.</summary>
    public static string Download(string? root = null) => Download(Definition, root);

    /// <summary><see cref="Load(bool, string?, bool)"/> for a variant definition (other mirrors or checksum), locator and downloader.</summary>
    public static ImageDataset<byte> Load(DatasetDefinition definition, bool train, string? root = null, bool download = false,
                                          DatasetLocator? locator = null, Downloader? downloader = null)
    {
        Check.NotNull(definition, nameof(definition), "Cifar10");
        var files = train ? TrainBatches : [TestBatch];
        var location = (locator ?? DatasetLocator.Default).LocateOrDownload(definition, files, root, download, downloader);

        var batches = location.Files.Select(CifarBinary.ReadBatch).ToList();
        int count = batches.Sum(b => b.Count);
        var pixels = new byte[(long)count * CifarBinary.ImageBytes];
        var labels = new int[count];
        int offset = 0;
        foreach (var batch in batches)
        {
            batch.Pixels.CopyTo(pixels, (long)offset * CifarBinary.ImageBytes);
            for (int i = 0; i < batch.Count; i++) labels[offset + i] = batch.Labels[i];
            offset += batch.Count;
        }
        string meta = Path.Combine(location.Folder, MetaFile);
        IReadOnlyList<string> classes = File.Exists(meta) ? CifarBinary.ReadClassNames(meta) : definition.ClassNames;
        string name = $"{definition.Name} {(train ? "train" : "test")}";
        return new ImageDataset<byte>(name, pixels, CifarBinary.Channels, CifarBinary.Height, CifarBinary.Width, labels, classes)
        {
            Source = location.Folder,
        };
    }

    /// <summary>Downloads the archive into the download root, unpacks it, deletes it; returns ROOT/cifar-10-batches-bin.</summary>
    public static string Download(DatasetDefinition definition, string? root = null, DatasetLocator? locator = null, Downloader? downloader = null) =>
        (locator ?? DatasetLocator.Default).Download(definition, root, downloader);

    /// <summary>
    /// Unpacks the batches and <c>batches.meta.txt</c> of a <c>cifar-10-binary.tar.gz</c> into
    /// DATAROOT/cifar-10-batches-bin (each through a temporary file renamed into place). Only those
    /// known names are written, whatever else the archive holds, so no entry can land outside the
    /// folder. An archive that lacks one of them, or is not a gzipped tar, is a
    /// <see cref="DatasetFormatException"/>.
    /// </summary>
    public static string ExtractBinaryArchive(string archive, string dataRoot)
    {
        string folder = Path.Combine(dataRoot, FolderName);
        Directory.CreateDirectory(folder);
        var wanted = new HashSet<string>(TrainBatches.Append(TestBatch).Append(MetaFile), StringComparer.Ordinal);
        var extracted = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                string name = entry.Name.Replace('\\', '/');
                if (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
                if (!name.StartsWith(FolderName + "/", StringComparison.Ordinal)) continue;
                string leaf = name[(FolderName.Length + 1)..];
                if (!wanted.Contains(leaf)) continue;
                string target = Path.Combine(folder, leaf);
                string temporary = $"{target}.{Guid.NewGuid().ToString("N")[..8]}.part";
                try
                {
                    entry.ExtractToFile(temporary, overwrite: false);
                    File.Move(temporary, target, overwrite: true);
                }
                finally
                {
                    if (File.Exists(temporary)) File.Delete(temporary);
                }
                extracted.Add(leaf);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DatasetFormatException(archive, $"not a readable gzipped tar archive ({e.Message})", e);
        }
        var missing = wanted.Except(extracted).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new DatasetFormatException(archive,
                $"lacks {string.Join(", ", missing.Select(m => FolderName + "/" + m))}: not CIFAR-10's binary archive");
        return folder;
    }
}
