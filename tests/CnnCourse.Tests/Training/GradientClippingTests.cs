using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

public class GradientClippingTests
{
    private static Parameter WithGrad(params float[] grad)
    {
        using var zeros = torch.zeros(grad.Length);
        var p = new Parameter(zeros);
        using var g = torch.tensor(grad);
        p.grad = g;
        return p;
    }

    private static float[] Grad(Parameter p)
    {
        using var g = p.grad!;
        return g.data<float>().ToArray();
    }

    [Fact]
    public void Clips_the_global_norm_of_all_gradients_as_one_vector()
    {
        // |(3, 4)| = 5 across two parameters; clipping to 1 scales both by 1 / (5 + 1e-6).
        using var a = WithGrad(3);
        using var b = WithGrad(4);
        using var z = torch.zeros(2);
        using var none = new Parameter(z);
        double norm = GradientClipping.ClipGradNorm([a, b, none], 1.0);
        Assert.Equal(5.0, norm, 6);
        float scale = (float)(1.0 / (5 + 1e-6));
        Assert.Equal(3 * scale, Grad(a)[0], 6);
        Assert.Equal(4 * scale, Grad(b)[0], 6);
        Assert.Null(none.grad);
    }

    [Fact]
    public void Gradients_below_the_limit_are_left_alone()
    {
        using var a = WithGrad(0.3f, 0.4f);
        Assert.Equal(0.5, GradientClipping.ClipGradNorm([a], 1.0), 6);
        Assert.Equal([0.3f, 0.4f], Grad(a));
    }

    [Fact]
    public void A_non_finite_norm_is_reported_and_nothing_is_scaled()
    {
        using var a = WithGrad(float.PositiveInfinity, 1);
        Assert.True(double.IsInfinity(GradientClipping.ClipGradNorm([a], 1.0)));
        Assert.Equal([float.PositiveInfinity, 1f], Grad(a));
        Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipGradNorm([a], 1.0, errorIfNonfinite: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([a], 0));
    }
}

public class CheckpointFolderTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"ckpt-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    private static void Manifest(string folder, string text) => File.WriteAllText(Path.Combine(folder, "manifest.json"), text);

    [Fact]
    public void A_new_checkpoint_replaces_the_old_one_whole_and_leaves_no_temporary_folders()
    {
        string path = Path.Combine(root, "last");
        CheckpointFolder.Write(path, f => { Manifest(f, "1"); File.WriteAllText(Path.Combine(f, "old-only.txt"), "x"); });
        CheckpointFolder.Write(path, f => Manifest(f, "2"));
        Assert.Equal("2", File.ReadAllText(Path.Combine(path, "manifest.json")));
        Assert.False(File.Exists(Path.Combine(path, "old-only.txt")));
        Assert.Equal(["last"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_keeps_the_old_checkpoint()
    {
        string path = Path.Combine(root, "last");
        CheckpointFolder.Write(path, f => Manifest(f, "1"));
        Assert.Throws<IOException>(() => CheckpointFolder.Write(path, f =>
        {
            Manifest(f, "2");
            throw new IOException("disk full");
        }));
        Assert.Equal("1", File.ReadAllText(Path.Combine(path, "manifest.json")));
        Assert.Equal(["last"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public void Resolve_finds_a_checkpoint_set_aside_by_an_interrupted_swap()
    {
        string path = Path.Combine(root, "last");
        Assert.Null(CheckpointFolder.Resolve(path));
        var aside = Directory.CreateDirectory(Path.Combine(root, ".last.old-0123"));
        Manifest(aside.FullName, "1");
        Assert.Equal(aside.FullName, CheckpointFolder.Resolve(path));
        CheckpointFolder.Write(path, f => Manifest(f, "2"));
        Assert.Equal(Path.GetFullPath(path), CheckpointFolder.Resolve(path));
    }
}
