using TorchSharp.PyBridge;
using static TorchSharp.torch;
using Registry = CnnCourse.Models.Models;

namespace CnnCourse.Models.Tests;

/// <summary>Weights.Load: a state dict round-trips, and a wrong or damaged file names what is wrong and leaves the model as it was.</summary>
public sealed class WeightsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("weights-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Dictionary<string, float[]> Values(nn.Module net) =>
        net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.Float32).data<float>().ToArray());

    private string Saved(nn.Module net, string name)
    {
        string path = Path.Combine(folder, name);
        net.save_py(path);   // PyTorch's torch.save format, as torchvision's .pth files
        return path;
    }

    [Fact]
    public void A_pytorch_state_dict_loads_into_a_fresh_model_exactly()
    {
        manual_seed(1);
        using var source = Registry.Create("lenet5", numClasses: 10, inChannels: 1, small: true);
        manual_seed(2);
        using var target = Registry.Create("lenet5", numClasses: 10, inChannels: 1, small: true);
        string first = source.state_dict().Keys.First();
        Assert.NotEqual(Values(source)[first], Values(target)[first]);

        var missing = Weights.Load(target, Saved(source, "lenet5.pth"));

        Assert.Empty(missing);
        var expected = Values(source);
        foreach (var (key, values) in Values(target)) Assert.Equal(expected[key], values);
    }

    [Fact]
    public void A_file_for_another_shape_names_the_key_and_changes_nothing()
    {
        using var tenClasses = Registry.Create("lenet5", numClasses: 10, inChannels: 1, small: true);
        using var sevenClasses = Registry.Create("lenet5", numClasses: 7, inChannels: 1, small: true);
        var before = Values(sevenClasses);

        var e = Assert.Throws<InvalidDataException>(() => Weights.Load(sevenClasses, Saved(tenClasses, "ten.pth")));

        Assert.Matches(@"'[\w.]+\.weight' has shape \[10, 84\] in the file and \[7, 84\] in the model", e.Message);
        foreach (var (key, values) in Values(sevenClasses)) Assert.Equal(before[key], values);
    }

    [Fact]
    public void Missing_keys_are_an_error_unless_not_strict()
    {
        using var lenet = Registry.Create("lenet5", numClasses: 10, inChannels: 1, small: true);
        using var resnet = Registry.Create("resnet20", numClasses: 10, inChannels: 1, small: true);
        string path = Saved(lenet, "lenet5.pth");

        var e = Assert.Throws<InvalidDataException>(() => Weights.Load(resnet, path));
        Assert.Contains("missing key(s)", e.Message);
        Assert.Contains("unexpected key(s)", e.Message);
        Assert.Equal(resnet.state_dict().Count, Weights.Load(resnet, path, strict: false).Count);
    }

    [Fact]
    public void A_damaged_or_absent_file_is_a_clear_error()
    {
        using var net = Registry.Create("lenet5", numClasses: 10, inChannels: 1, small: true);
        string good = Saved(net, "lenet5.pth");
        string damaged = Path.Combine(folder, "damaged.pth");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(damaged, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => Weights.Load(net, damaged));
        Assert.StartsWith($"{damaged} is not a readable PyTorch state dict", e.Message);
        Assert.Throws<FileNotFoundException>(() => Weights.Load(net, Path.Combine(folder, "absent.pth")));
    }
}
