using CnnCourse.Runtime;
namespace CnnCourse.Data;

/// <summary>
/// MNIST (LeCun, Bottou, Bengio and Haffner 1998, "Gradient-based learning applied to document
/// recognition"): 70,000 handwritten digits of 28×28, 60,000 to train and 10,000 to test, in IDX
/// files. Also the loader of any dataset in MNIST's four-file layout (<see cref="Load(DatasetDefinition, bool, string?, bool, DatasetLocator?,
/// Downloader?)"/>),
/// which Fashion-MNIST uses.
/// </summary>
public static class Mnist
{
    /// <summary>
    /// Where MNIST lives. LeCun's page is the original location but often refuses downloads now;
    /// PyTorch's copy (the mirror torchvision uses) is tried first, then LeCun's, then TensorFlow's.
    /// The checksums are MD5 (the only ones published, as listed by torchvision).
    /// </summary>
    public static DatasetDefinition Definition { get; } = new()
    {
        Name = "MNIST",
        LoaderName = nameof(Mnist),
        FolderName = "mnist",
        OtherFolderNames = ["MNIST/raw"],
        ClassNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        Mirrors =
        [
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "http://yann.lecun.com/exdb/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ],
        Downloads =
        [
            new("train-images-idx3-ubyte.gz", Checksum.Md5("f68b3c2dcbeaaa9fbdd348bbdeb94873")),
            new("train-labels-idx1-ubyte.gz", Checksum.Md5("d53e105ee54ea40749a09fcbcd1e9432")),
            new("t10k-images-idx3-ubyte.gz", Checksum.Md5("9fb629c4189551a2d022fa330f9573f3")),
            new("t10k-labels-idx1-ubyte.gz", Checksum.Md5("ec29112dd5afa0611ce80d1b7f02629c")),
        ],
    };

    public static IReadOnlyList<string> Classes => Definition.ClassNames;

    /// <summary>
    /// Loads the training (60,000) or test (10,000) images, found by <see cref="DatasetLocator"/>
    /// under <paramref name="root"/> or the usual places; with <paramref name="download"/>, fetches
    /// them first when they are nowhere.
    /// </summary>
    public static ImageDataset<byte> Load(bool train = true, string? root = null, bool download = false) =>
        Load(Definition, train, root, download);

    /// <summary>Downloads the four files into ROOT/mnist (ROOT: see <see cref="DatasetLocator.DownloadRoot"/>); returns that folder.</summary>
    public static string Download(string? root = null) => Download(Definition, root);

    /// <summary>
    /// Loads a dataset in MNIST's layout: <c>train-</c>/<c>t10k-images-idx3-ubyte</c> and
    /// <c>-labels-idx1-ubyte</c>, raw or gzip. Missing data is downloaded when
    /// <paramref name="download"/> is set, otherwise a <see cref="DatasetNotFoundException"/> says
    /// where it looked and how to get it.
    /// </summary>
    public static ImageDataset<byte> Load(DatasetDefinition definition, bool train, string? root = null, bool download = false,
                                          DatasetLocator? locator = null, Downloader? downloader = null)
    {
        Check.NotNull(definition, nameof(definition), "Mnist");
        string prefix = train ? "train" : "t10k";
        string[] files = [$"{prefix}-images-idx3-ubyte", $"{prefix}-labels-idx1-ubyte"];
        var location = (locator ?? DatasetLocator.Default).LocateOrDownload(definition, files, root, download, downloader);
        return IdxFile.ReadDataset(location.Files[0], location.Files[1], definition.ClassNames, $"{definition.Name} {(train ? "train" : "test")}");
    }

    /// <summary>Downloads <paramref name="definition"/>'s files into its folder under the download root; returns the folder.</summary>
    public static string Download(DatasetDefinition definition, string? root = null, DatasetLocator? locator = null, Downloader? downloader = null) =>
        (locator ?? DatasetLocator.Default).Download(definition, root, downloader);
}

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, "Fashion-MNIST: a Novel Image Dataset for
/// Benchmarking Machine Learning Algorithms"): 70,000 grey 28×28 images of clothing in 10 classes,
/// a drop-in replacement for MNIST. The course's default dataset, because Debian's
/// <c>dataset-fashion-mnist</c> (installed by <c>./course setup</c>) makes it available offline.
/// </summary>
public static class FashionMnist
{
    /// <summary>
    /// Where Fashion-MNIST lives: Zalando's official download site, then the copy in the project's
    /// GitHub repository (data/fashion), with the MD5 checksums of its README. Debian's package
    /// holds the same images recompressed, so its files have other checksums; the locator does not
    /// check checksums, the readers check the content.
    /// </summary>
    public static DatasetDefinition Definition { get; } = new()
    {
        Name = "Fashion-MNIST",
        LoaderName = nameof(FashionMnist),
        FolderName = "fashion-mnist",
        OtherFolderNames = ["FashionMNIST/raw"],
        ClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        Mirrors =
        [
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        ],
        Downloads =
        [
            new("train-images-idx3-ubyte.gz", Checksum.Md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d")),
            new("train-labels-idx1-ubyte.gz", Checksum.Md5("25c81989df183df01b3e8a0aad5dffbe")),
            new("t10k-images-idx3-ubyte.gz", Checksum.Md5("bef4ecab320f06d8554ea6380940ec79")),
            new("t10k-labels-idx1-ubyte.gz", Checksum.Md5("bb300cfdad3c16e7a12a480ee83cd310")),
        ],
        DebianPackage = "dataset-fashion-mnist",
        DebianFolder = "fashion-mnist",
    };

    public static IReadOnlyList<string> Classes => Definition.ClassNames;

    /// <summary>
    /// Loads the training (60,000) or test (10,000) images, found by <see cref="DatasetLocator"/>
    /// (explicit root, $CNNCOURSE_DATA, the repository's data/, Debian's package); with
    /// <paramref name="download"/>, fetches them first when they are nowhere.
    /// </summary>
    public static ImageDataset<byte> Load(bool train = true, string? root = null, bool download = false) =>
        Mnist.Load(Definition, train, root, download);

    /// <summary>Downloads the four files into ROOT/fashion-mnist (ROOT: see <see cref="DatasetLocator.DownloadRoot"/>); returns that folder.</summary>
    public static string Download(string? root = null) => Mnist.Download(Definition, root);
}
