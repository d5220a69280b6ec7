using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using CnnCourse.Data;

namespace CnnCourse.Tests.Data;

/// <summary>Whole datasets fetched from local copies in the published formats, then loaded.</summary>
public sealed class DatasetDownloadTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly LoopbackServer server = new();
    private readonly Downloader downloader = new() { Quiet = true };

    public void Dispose()
    {
        server.Dispose();
        temp.Dispose();
    }

    private DatasetLocator Locator() => new()
    {
        EnvironmentVariable = "CNNCOURSE_DATA_TEST_UNSET_" + Guid.NewGuid().ToString("N"),
        RepositorySearchStarts = [],
        SystemDatasetsRoot = temp["debian"],
    };

    private static Checksum Md5(byte[] bytes) => Checksum.Md5(Convert.ToHexStringLower(MD5.HashData(bytes)));

    [Fact]
    public void Fashion_mnist_is_downloaded_from_a_mirror_verified_and_loaded()
    {
        DataFiles.WriteIdxDataset(temp["mirror"], trainCount: 20, testCount: 7);
        var definition = FashionMnist.Definition with
        {
            Mirrors = [new Uri(temp["mirror"] + "/").AbsoluteUri],
            Downloads = FashionMnist.Definition.Downloads
                .Select(d => d with { Checksum = Md5(File.ReadAllBytes(temp["mirror/" + d.FileName])) }).ToList(),
        };
        var locator = Locator();

        Assert.Throws<DatasetNotFoundException>(() => Mnist.Load(definition, train: true, root: temp["data"], locator: locator));
        var train = Mnist.Load(definition, train: true, root: temp["data"], download: true, locator: locator, downloader: downloader);

        Assert.Equal(20, train.Count);
        Assert.Equal("Fashion-MNIST train", train.Name);
        Assert.Equal(FashionMnist.Classes, train.ClassNames);
        Assert.Equal(DataFiles.Pattern(20, 784), train.Pixels.ToArray());
        Assert.Equal(
            ["fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz",
             "fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz"],
            Directory.GetFiles(temp["data"], "*",
                SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp["data"], f)).Order(StringComparer.Ordinal));
        // Found without downloading from now on.
        Assert.Equal(7, Mnist.Load(definition, train: false, root: temp["data"], locator: locator).Count);
    }

    [Fact]
    public void The_built_in_checksums_refuse_files_that_are_not_the_published_ones()
    {
        DataFiles.WriteIdxDataset(temp["mirror"]);
        var definition = FashionMnist.Definition with { Mirrors = [temp["mirror"]] };
        var e = Assert.Throws<DownloadException>(() =>
            Mnist.Load(definition, train: true, root: temp["data"], download: true, locator: Locator(), downloader: downloader));
        Assert.Equal("train-images-idx3-ubyte.gz", e.FileName);
        Assert.Contains("expected md5 8d4fb7e6c68d591d4c3dfef9ec88bf0d", e.Message);
        Assert.Contains("`./course setup` installs Debian's dataset-fashion-mnist", e.Message);
        Assert.Empty(Directory.GetFiles(temp["data"], "*", SearchOption.AllDirectories));
    }

    /// <summary>A cifar-10-binary.tar.gz in the authors' layout, with 2 images per batch.</summary>
    private static byte[] CifarArchive(bool withTestBatch = true)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            void Add(string name, byte[] bytes)
            {
                var entry = new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) };
                tar.WriteEntry(entry);
            }
            tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            for (int b = 1; b <= 5; b++)
                Add($"cifar-10-batches-bin/data_batch_{b}.bin", DataFiles.CifarBatch([(byte)b, (byte)(b + 4)], DataFiles.Pattern(2, 3072)));
            if (withTestBatch) Add("cifar-10-batches-bin/test_batch.bin", DataFiles.CifarBatch([3, 0, 9], DataFiles.Pattern(3, 3072)));
            Add("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n"u8.ToArray());
            Add("cifar-10-batches-bin/readme.html", "<html></html>"u8.ToArray());
            Add("../escaped.bin", [1, 2, 3]); // never written anywhere
        }
        return memory.ToArray();
    }

    [Fact]
    public void Cifar10_is_downloaded_unpacked_and_loaded()
    {
        var archive = CifarArchive();
        server.On("/kriz/cifar-10-binary.tar.gz", new Reply.Body(archive));
        var definition = Cifar10.Definition with
        {
            Mirrors = [server.Url + "missing/", server.Url + "kriz/"],
            Downloads = [new("cifar-10-binary.tar.gz", Md5(archive))],
        };
        var locator = Locator();

        var train = Cifar10.Load(definition, train: true, root: temp["data"], download: true, locator: locator, downloader: downloader);

        Assert.Equal(10, train.Count);
        Assert.Equal((3, 32, 32), (train.Channels, train.Height, train.Width));
        Assert.Equal(new[] { 1, 5, 2, 6, 3, 7, 4, 8, 5, 9 }, train.Labels);
        Assert.Equal(DataFiles.Pattern(2, 3072), train.Pixels[(4 * 6144)..].ToArray()); // batch 5's images
        Assert.Equal("truck", train.ClassNames[9]);
        var test = Cifar10.Load(definition, train: false, root: temp["data"], locator: locator);
        Assert.Equal(new[] { 3, 0, 9 }, test.Labels);

        Assert.Equal(
            ["cifar-10-batches-bin/batches.meta.txt", "cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/data_batch_2.bin",
             "cifar-10-batches-bin/data_batch_3.bin", "cifar-10-batches-bin/data_batch_4.bin", "cifar-10-batches-bin/data_batch_5.bin",
             "cifar-10-batches-bin/test_batch.bin"],
            Directory.GetFiles(temp["data"], "*",
                SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp["data"], f)).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(temp["escaped.bin"]));
    }

    [Fact]
    public void An_archive_without_every_batch_is_refused_by_name()
    {
        string archive = temp.Write("cifar-10-binary.tar.gz", CifarArchive(withTestBatch: false));
        var e = Assert.Throws<DatasetFormatException>(() => Cifar10.ExtractBinaryArchive(archive, temp["data"]));
        Assert.Equal(archive, e.FilePath);
        Assert.Contains("lacks cifar-10-batches-bin/test_batch.bin", e.Message);

        string notTar = temp.Write("junk.tar.gz", DataFiles.Gzip("just text, not a tar archive at all"u8.ToArray()));
        e = Assert.Throws<DatasetFormatException>(() => Cifar10.ExtractBinaryArchive(notTar, temp["data2"]));
        Assert.Equal(notTar, e.FilePath);
    }

    [Fact]
    public void The_published_definitions_are_complete()
    {
        foreach (var d in new[] { Mnist.Definition, FashionMnist.Definition, Cifar10.Definition })
        {
            Assert.Equal(10, d.ClassNames.Count);
            Assert.NotEmpty(d.Mirrors);
            Assert.All(d.Mirrors, m => Assert.Matches("^https?://.+/$", m));
            Assert.All(d.Downloads, f => Assert.Equal(32, f.Checksum.Hex.Length));
        }
        Assert.Equal(4, FashionMnist.Definition.Downloads.Count);
        Assert.Equal("dataset-fashion-mnist", FashionMnist.Definition.DebianPackage);
    }
}
