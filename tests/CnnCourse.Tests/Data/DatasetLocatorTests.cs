using CnnCourse.Data;

namespace CnnCourse.Tests.Data;

public sealed class DatasetLocatorTests : IDisposable
{
    private readonly TempFolder temp = new();

    // A variable of this test's own, so that setting it cannot disturb any other test in the process.
    private readonly string variable = "CNNCOURSE_DATA_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(variable, null);
        temp.Dispose();
    }

    private static readonly string[] TrainFiles = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"];

    /// <summary>A locator that sees only this test's folders: its variable, a repository under temp, a Debian root under temp.</summary>
    private DatasetLocator Locator() => new()
    {
        EnvironmentVariable = variable,
        RepositorySearchStarts = [temp["repo/notebooks"]],
        SystemDatasetsRoot = temp["debian"],
    };

    /// <summary>Tiny Fashion-MNIST copies whose training-set sizes tell them apart.</summary>
    private void Populate(bool explicitRoot = true, bool environment = true, bool repository = true, bool debian = true)
    {
        Directory.CreateDirectory(temp["repo/notebooks"]);
        File.WriteAllText(temp["repo/CnnCourse.sln"], "");
        if (explicitRoot) DataFiles.WriteIdxDataset(temp["mine/fashion-mnist"], trainCount: 11);
        if (environment) DataFiles.WriteIdxDataset(temp["env/fashion-mnist"], trainCount: 12);
        if (repository) DataFiles.WriteIdxDataset(temp["repo/data/fashion-mnist"], trainCount: 13);
        if (debian) DataFiles.WriteIdxDataset(temp["debian/fashion-mnist"], trainCount: 14);
        if (environment) Environment.SetEnvironmentVariable(variable, temp["env"]);
    }

    private int LoadedCount(string? root = null) =>
        Mnist.Load(FashionMnist.Definition, train: true, root: root, locator: Locator()).Count;

    [Fact]
    public void Searches_the_environment_variable_then_the_repository_then_Debian()
    {
        Populate(explicitRoot: false);
        Assert.Equal(12, LoadedCount());
        Assert.StartsWith($"${variable}", Locator().Locate(FashionMnist.Definition, TrainFiles).Place);

        Environment.SetEnvironmentVariable(variable, null);
        Assert.Equal(13, LoadedCount());
        Assert.StartsWith("the repository's data/", Locator().Locate(FashionMnist.Definition, TrainFiles).Place);

        Directory.Delete(temp["repo/data"], recursive: true);
        Assert.Equal(14, LoadedCount());
        var debian = Locator().Locate(FashionMnist.Definition, TrainFiles);
        Assert.Equal("Debian's dataset-fashion-mnist (" + temp["debian/fashion-mnist"] + ")", debian.Place);
        Assert.Equal(temp["debian/fashion-mnist/train-images-idx3-ubyte.gz"], debian.Files[0]);
    }

    [Fact]
    public void An_explicit_root_comes_first_and_is_the_only_place_looked()
    {
        Populate();
        Assert.Equal(11, LoadedCount(temp["mine"]));            // a data root holding fashion-mnist/
        Assert.Equal(11, LoadedCount(temp["mine/fashion-mnist"])); // or the folder of files itself

        Directory.CreateDirectory(temp["empty"]);
        var e = Assert.Throws<DatasetNotFoundException>(() => LoadedCount(temp["empty"]));
        Assert.Single(e.PlacesLooked);
        Assert.Contains("the explicit root " + temp["empty"], e.Message);
        Assert.DoesNotContain(e.PlacesLooked, p => p.Contains("debian", StringComparison.Ordinal));
        Assert.Contains($"FashionMnist.Load(root: \"{temp["empty"]}\", download: true)", e.Message);
    }

    [Fact]
    public void The_variable_may_list_several_roots()
    {
        Populate(explicitRoot: false, environment: false, repository: false, debian: false);
        DataFiles.WriteIdxDataset(temp["second/fashion-mnist"], trainCount: 15);
        Environment.SetEnvironmentVariable(variable, temp["first"] + Path.PathSeparator + temp["second"]);
        Assert.Equal(15, LoadedCount());
    }

    [Fact]
    public void Finds_torchvisions_layout_and_uncompressed_files()
    {
        Populate(explicitRoot: false, environment: false, repository: false, debian: false);
        DataFiles.WriteIdxDataset(temp["tv/FashionMNIST/raw"], trainCount: 16, gzip: false);
        var location = Locator().Locate(FashionMnist.Definition, TrainFiles, temp["tv"]);
        Assert.Equal(temp["tv/FashionMNIST/raw"], location.Folder);
        Assert.Equal(temp["tv/FashionMNIST/raw/train-labels-idx1-ubyte"], location.Files[1]);
        Assert.Equal(16, LoadedCount(temp["tv"]));
    }

    [Fact]
    public void A_miss_lists_every_place_in_order_and_how_to_get_the_data()
    {
        Populate(explicitRoot: false, environment: false, repository: false, debian: false);
        Directory.CreateDirectory(temp["repo/data"]);
        // One file of two is not enough.
        Directory.CreateDirectory(temp["repo/data/fashion-mnist"]);
        File.WriteAllBytes(temp["repo/data/fashion-mnist/train-images-idx3-ubyte.gz"], []);

        var e = Assert.Throws<DatasetNotFoundException>(() => LoadedCount());

        Assert.Equal("Fashion-MNIST", e.Dataset);
        Assert.Equal(3, e.PlacesLooked.Count);
        string[] lines = e.Message.Split(Environment.NewLine);
        Assert.Equal("Fashion-MNIST was not found: no folder holds train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]. Looked, in order, in:",
            lines[0]);
        Assert.Equal($"  1. ${variable}: not set", lines[1]);
        Assert.StartsWith($"  2. the repository's data/ ({temp["repo/data"]}): ", lines[2]);
        Assert.Contains($"{temp["repo/data/fashion-mnist"]} lacks train-labels-idx1-ubyte[.gz]", lines[2]);
        Assert.Equal($"  3. Debian's dataset-fashion-mnist ({temp["debian/fashion-mnist"]}): not installed", lines[3]);
        Assert.Contains("`./course setup` installs Debian's dataset-fashion-mnist", e.Message);
        Assert.Contains($"FashionMnist.Load(download: true) or FashionMnist.Download() (into {temp["repo/data/fashion-mnist"]})", e.Message);
    }

    [Fact]
    public void Outside_the_repository_the_miss_says_so()
    {
        var locator = new DatasetLocator { EnvironmentVariable = variable, RepositorySearchStarts = [temp.Path], SystemDatasetsRoot = temp["none"] };
        var e = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(Mnist.Definition, TrainFiles));
        Assert.Contains($"not inside the course repository (no CnnCourse.sln above {temp.Path})", e.Message);
        Assert.Equal(2, e.PlacesLooked.Count); // MNIST has no Debian package
        Assert.Contains("ROOT/mnist", e.Message);
        Assert.Throws<InvalidOperationException>(() => locator.DownloadRoot());
    }

    [Fact]
    public void Downloads_go_to_the_explicit_root_then_the_variable_then_the_repository()
    {
        Populate(explicitRoot: false, environment: false, repository: false, debian: false);
        Assert.Equal(temp["repo/data"], Locator().DownloadRoot());
        Environment.SetEnvironmentVariable(variable, temp["env"]);
        Assert.Equal(temp["env"], Locator().DownloadRoot());
        Assert.Equal(temp["mine"], Locator().DownloadRoot(temp["mine"]));
    }

    [Fact]
    public void The_repository_root_is_the_folder_with_the_solution()
    {
        Populate(false, false, false, false);
        Directory.CreateDirectory(temp["repo/a/b"]);
        Assert.Equal(temp["repo"], DatasetLocator.FindRepositoryRoot(temp["repo/a/b"]));
        Assert.Null(DatasetLocator.FindRepositoryRoot(Path.GetTempPath()));
        // This test itself runs inside the course's repository.
        Assert.NotNull(DatasetLocator.FindRepositoryRoot(AppContext.BaseDirectory));
    }
}
