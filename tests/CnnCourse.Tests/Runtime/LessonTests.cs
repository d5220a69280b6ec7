using CnnCourse.Runtime;
using CnnCourse.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Runtime;

/// <summary>The helpers every lesson gets from the notebooks' prelude (<c>notebooks/prelude.csx</c>).</summary>
[Collection(TrainingSerial.Name)]
public sealed class LessonTests
{
    [Fact]
    public void Start_seeds_everything_and_resolves_auto()
    {
        var device = Lesson.Start(17, "auto");
        Assert.Equal(17, Seed.Current);
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, device.type);
        float[] first;
        using (var t = torch.rand(4)) first = t.data<float>().ToArray();
        Lesson.Start(17, "cpu");
        using (var t = torch.rand(4)) Assert.Equal(first, t.data<float>().ToArray());
    }

    [Fact]
    public void A_device_name_is_auto_cpu_or_cuda_and_anything_else_names_the_choices()
    {
        Assert.Equal(DeviceType.CPU, Lesson.ResolveDevice("cpu").type);
        Assert.Equal(DeviceType.CPU, Lesson.ResolveDevice(" CPU ").type);
        var bad = Assert.Throws<ArgumentException>(() => Lesson.ResolveDevice("gpu"));
        Assert.Contains("\"gpu\"", bad.Message);
        Assert.Contains("\"auto\", \"cpu\", \"cuda\"", bad.Message);
        Assert.Throws<ArgumentException>(() => Lesson.ResolveDevice("cuda:x"));
        if (!torch.cuda.is_available())
            Assert.Contains("not available", Assert.Throws<ArgumentException>(() => Lesson.ResolveDevice("cuda")).Message);
    }

    [Fact]
    public void Check_fails_with_the_claim()
    {
        Lesson.Check(true, "never shown");
        var failed = Assert.Throws<CheckFailedException>(() => Lesson.Check(false, "the loss went down"));
        Assert.Equal("Check failed: the loss went down", failed.Message);
        Assert.Equal("the loss went down", failed.Claim);
    }

    [Fact]
    public void Shape_writes_sizes_as_PyTorch_prints_them()
    {
        using var x = torch.zeros(1, 3, 32, 32);
        using var scalar = torch.tensor(2.0f);
        Assert.Equal("(1, 3, 32, 32)", Lesson.Shape(x));
        Assert.Equal("(1, 3, 32, 32)", Lesson.Shape(x.shape));
        Assert.Equal("(2, 5)", Lesson.Shape(new List<long> { 2, 5 }));
        Assert.Equal("()", Lesson.Shape(scalar));
    }

    [Fact]
    public void ParameterCount_counts_parameters_not_buffers_and_optionally_only_trainable_ones()
    {
        using var net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Linear(8, 2));
        long conv = 3 * 8 * 9 + 8, norm = 8 + 8, linear = 8 * 2 + 2;
        Assert.Equal(conv + norm + linear, Lesson.ParameterCount(net));
        foreach (var (name, p) in net.named_parameters())
            if (!name.StartsWith("2.", StringComparison.Ordinal)) p.requires_grad_(false);
        Assert.Equal(linear, Lesson.ParameterCount(net, trainableOnly: true));
    }

    [Fact]
    public void ToGrid_copies_a_2d_tensor_row_by_row_and_refuses_other_ranks()
    {
        using var t = torch.arange(6, dtype: ScalarType.Float64).reshape(2, 3);
        var grid = Lesson.ToGrid(t);
        Assert.Equal(2, grid.GetLength(0));
        Assert.Equal(3, grid.GetLength(1));
        Assert.Equal(5f, grid[1, 2]);
        Assert.Equal(1f, grid[0, 1]);
        using var cube = torch.zeros(1, 2, 3);
        Assert.Contains("(1, 2, 3)", Assert.Throws<ArgumentException>(() => Lesson.ToGrid(cube)).Message);
    }
}
