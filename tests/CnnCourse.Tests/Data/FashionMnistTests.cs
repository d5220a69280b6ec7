using CnnCourse.Data;

namespace CnnCourse.Tests.Data;

/// <summary>Debian's Fashion-MNIST (package dataset-fashion-mnist), when installed.</summary>
public sealed class DebianFashionMnistFactAttribute : FactAttribute
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public DebianFashionMnistFactAttribute()
    {
        if (!Directory.Exists(Folder))
            Skip = $"{Folder} is missing: install Debian's dataset-fashion-mnist (`./course setup`) to run this test";
    }
}

public sealed class FashionMnistTests
{
    // Only Debian's folder: neither $CNNCOURSE_DATA nor the repository's data/ may stand in for it.
    private static readonly DatasetLocator DebianOnly = new()
    {
        EnvironmentVariable = "CNNCOURSE_DATA_TEST_UNSET_" + Guid.NewGuid().ToString("N"),
        RepositorySearchStarts = [],
    };

    // Read once for the tests of this class (47 MB of pixels).
    private static readonly Lazy<ImageDataset<byte>> DebianTrain = new(() => Mnist.Load(FashionMnist.Definition, train: true, locator: DebianOnly));

    [DebianFashionMnistFact]
    public void Debians_training_set_has_60000_images_of_28x28_in_10_balanced_classes()
    {
        var train = DebianTrain.Value;

        Assert.Equal(60000, train.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        Assert.Equal(10, train.ClassCount);
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        Assert.All(train.ClassCounts(), c => Assert.Equal(6000, c));
        // Reference values computed from the same files with Python's gzip module.
        Assert.Equal(new[] { 9, 0, 0, 3, 0, 2, 7, 2 }, train.Labels.Take(8));
        Assert.Equal(76247, train.Image(0).ToArray().Sum(p => p));
        var stats = train.ComputeChannelStats();
        Assert.Equal(0.2860405969887955, stats.Mean[0], 12);
        Assert.Equal(0.3530242445149224, stats.Std[0], 12);
        Assert.Equal(Path.Combine(DebianFashionMnistFactAttribute.Folder, "train-images-idx3-ubyte.gz"), train.Source);
    }

    [DebianFashionMnistFact]
    public void Debians_test_set_has_10000_images()
    {
        var test = Mnist.Load(FashionMnist.Definition, train: false, locator: DebianOnly);
        Assert.Equal(10000, test.Count);
        Assert.All(test.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.Equal(new[] { 9, 2, 1, 1, 6, 1, 4, 6 }, test.Labels.Take(8));
        Assert.Equal(33456, test.Image(0).ToArray().Sum(p => p));
    }

    [DebianFashionMnistFact]
    public void The_default_loader_finds_fashion_mnist_somewhere()
    {
        // Whatever the machine has ($CNNCOURSE_DATA, data/, Debian): a full, valid test set.
        var test = FashionMnist.Load(train: false);
        Assert.Equal(10000, test.Count);
        Assert.Equal("Fashion-MNIST test", test.Name);
    }

    [DebianFashionMnistFact]
    public void A_stratified_validation_split_of_the_real_data_keeps_classes_balanced()
    {
        var (fit, validation) = DebianTrain.Value.StratifiedSplit(0.1, seed: 0);
        Assert.Equal(54000, fit.Count);
        Assert.All(validation.ClassCounts(), c => Assert.Equal(600, c));
    }
}
