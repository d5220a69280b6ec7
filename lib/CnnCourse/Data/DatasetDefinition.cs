namespace CnnCourse.Data;

/// <summary>
/// What the course knows about a published dataset: its name, the folder it lives in under a data
/// root, the official download locations and checksums, and the Debian package that ships it. The
/// built-in ones are <see cref="FashionMnist.Definition"/>, <see cref="Mnist.Definition"/> and
/// <see cref="Cifar10.Definition"/>; <c>with</c> makes a variant (other mirrors, a local copy).
/// </summary>
public sealed record DatasetDefinition
{
    /// <summary>The name people use: "Fashion-MNIST".</summary>
    public required string Name { get; init; }

    /// <summary>The C# class that loads it, for messages: "FashionMnist".</summary>
    public required string LoaderName { get; init; }

    /// <summary>Its folder under a data root (data/, $CNNCOURSE_DATA): "fashion-mnist". Downloads go there.</summary>
    public required string FolderName { get; init; }

    /// <summary>Other layouts found under a data root, e.g. torchvision's "FashionMNIST/raw".</summary>
    public IReadOnlyList<string> OtherFolderNames { get; init; } = [];

    /// <summary>Class names, indexed by label.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Base URLs tried in order; each file's name is appended. <c>file://</c> URLs and local folders work too.</summary>
    public required IReadOnlyList<string> Mirrors { get; init; }

    /// <summary>The files fetched from a mirror, with their published checksums.</summary>
    public required IReadOnlyList<RemoteFile> Downloads { get; init; }

    /// <summary>The Debian package that installs it, if any: "dataset-fashion-mnist".</summary>
    public string? DebianPackage { get; init; }

    /// <summary>The package's folder under /usr/share/datasets: "fashion-mnist".</summary>
    public string? DebianFolder { get; init; }

    /// <summary>
    /// How a downloaded archive becomes the dataset's folder: (archive, data root) → the folder it
    /// unpacked into (CIFAR-10's tar.gz). Null when the downloads are the data files themselves (MNIST's
    /// IDX files), which then go straight into <see cref="FolderName"/>.
    /// </summary>
    public Func<string, string, string>? Unpack { get; init; }
}
