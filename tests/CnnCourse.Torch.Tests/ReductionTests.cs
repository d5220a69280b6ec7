using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

// Reductions, sorting and matrix products on x = [[1, 5, 3], [4, 2, 6]] and friends. Statistics by
// hand (mean 3.5, squared deviations 17.5) and checked with torch 1.13 (x.std() = 1.8708287477493286,
// x.norm() = sqrt(91) = 9.539392471313477, x.std(dim=1, correction=2) = 2.8284270763397217).
public class ReductionTests
{
    private static float[] F(Tensor t) => t.ToArray<float>();
    private static long[] L(Tensor t) => t.ToArray<long>();

    private static Tensor X() => torch.tensor(new float[] { 1, 5, 3, 4, 2, 6 }, new long[] { 2, 3 });

    [Fact]
    public void Max_min_and_their_indices()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(6f, x.max().item<float>());
        Assert.Equal(1f, torch.min(x).item<float>());
        Assert.Equal(5L, x.argmax().item<long>());
        Assert.Equal(0L, x.argmin().item<long>());

        var (values, indices) = x.max(1);
        Assert.Equal(new float[] { 5, 6 }, F(values));
        Assert.Equal(new long[] { 1, 2 }, L(indices));
        Assert.Equal(ScalarType.Int64, indices.dtype);
        var (low, where) = torch.min(x, 0, keepdim: true);
        Assert.Equal(new long[] { 1, 3 }, low.shape);
        Assert.Equal(new float[] { 1, 2, 3 }, F(low));
        Assert.Equal(new long[] { 0, 1, 0 }, L(where));
        Assert.Equal(new long[] { 1, 2 }, L(x.argmax(1)));
        Assert.Equal(new long[] { 2, 1 }, x.argmax(-1, keepdim: true).shape);
        Assert.Equal(new long[] { 0, 1, 0 }, L(torch.argmin(x, 0)));

        // predictions from logits: the class with the highest score per row
        var logits = torch.tensor(new float[] { 0.1f, 2.0f, -1, 3, 0, 0 }, new long[] { 2, 3 });
        Assert.Equal(new long[] { 1, 0 }, L(logits.argmax(1)));
    }

    [Fact]
    public void Std_and_var_with_unbiased_and_correction()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(1.8708287477493286f, x.std().item<float>(), 1e-6f);          // sqrt(17.5 / 5)
        Assert.Equal(1.7078251838684082f, x.std(false).item<float>(), 1e-6f);     // sqrt(17.5 / 6)
        Assert.Equal(3.5f, x.var().item<float>(), 1e-6f);
        Assert.Equal(17.5f / 6, x.var(unbiased: false).item<float>(), 1e-6f);
        Assert.Equal(new float[] { 4, 4 }, F(x.var(1)));                           // rows: deviations ±2, 0
        Assert.Equal(new float[] { 2, 2 }, F(x.std(1)));
        Assert.Equal(new float[] { 4.5f, 4.5f, 4.5f }, F(torch.var(x, new long[] { 0 })));
        Assert.Equal(new long[] { 2, 1 }, x.std(1, keepdim: true).shape);
        var byCorrection = x.std(new long[] { 1 }, correction: 2);
        Assert.Equal(2.8284270763397217f, byCorrection[0].item<float>(), 1e-6f);  // sqrt(8 / (3 − 2))
        Assert.Equal(17.5f / 6, x.var(dim: null, correction: 0).item<float>(), 1e-6f);
        Assert.Equal(x.std(false).item<float>(), x.std(dim: null, correction: 0).item<float>());
    }

    [Fact]
    public void Prod_cumsum_norm_all_any()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(720f, x.prod().item<float>());
        Assert.Equal(new float[] { 15, 48 }, F(x.prod(1)));
        Assert.Equal(ScalarType.Int64, torch.arange(1, 5).prod().dtype);
        Assert.Equal(24L, torch.arange(1, 5).prod().item<long>());
        Assert.Equal(new float[] { 1, 6, 9, 4, 6, 12 }, F(x.cumsum(1)));
        Assert.Equal(new float[] { 1, 5, 3, 5, 7, 9 }, F(torch.cumsum(x, 0)));

        Assert.Equal(9.539392471313477f, x.norm().item<float>(), 1e-5f);
        Assert.Equal(21f, x.norm(1).item<float>());
        var rowNorms = F(x.norm(new long[] { 1 }));                                 // sqrt(35), sqrt(56)
        Assert.Equal(5.916079998016357f, rowNorms[0], 1e-6f);
        Assert.Equal(7.4833149909973145f, rowNorms[1], 1e-6f);
        Assert.Equal(new long[] { 2, 1 }, x.norm(new long[] { 1 }, keepdim: true).shape);

        Assert.True(x.gt(0).all().item<bool>());
        Assert.False(x.gt(1).all().item<bool>());
        Assert.True(x.gt(5).any().item<bool>());
        Assert.Equal(new[] { false, false, false }, x.gt(3).all(0).ToArray<bool>());
        Assert.Equal(new[] { true, true }, x.gt(4).any(1).ToArray<bool>());
        Assert.Equal(new[] { false, true }, torch.all(x.gt(1), 1).ToArray<bool>());
    }

    [Fact]
    public void Topk_and_sort_return_values_and_positions()
    {
        using var scope = torch.NewDisposeScope();
        var v = torch.tensor(new float[] { 3, 1, 4, 1, 5, 9, 2, 6 });
        var (top, where) = v.topk(3);
        Assert.Equal(new float[] { 9, 6, 5 }, F(top));
        Assert.Equal(new long[] { 5, 7, 4 }, L(where));
        var (bottom, _) = torch.topk(v, 2, largest: false);
        Assert.Equal(new float[] { 1, 1 }, F(bottom));

        var (sorted, order) = v.sort(stable: true);
        Assert.Equal(new float[] { 1, 1, 2, 3, 4, 5, 6, 9 }, F(sorted));
        Assert.Equal(new long[] { 1, 3, 6, 0, 2, 4, 7, 5 }, L(order));
        var (descending, _) = v.sort(descending: true);
        Assert.Equal(new float[] { 9, 6, 5, 4, 3, 2, 1, 1 }, F(descending));
        Assert.Equal(new long[] { 1, 3, 6, 0, 2, 4, 7, 5 }, L(v.argsort(stable: true)));

        // top-5 accuracy style: the 2 best classes per row of a batch
        var scores = torch.tensor(new float[] { 0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f }, new long[] { 2, 3 });
        var (_, best) = scores.topk(2, dim: 1);
        Assert.Equal(new long[] { 1, 2, 0, 1 }, L(best));
    }

    [Fact]
    public void Mm_bmm_and_matmul()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        var b = torch.tensor(new float[] { 1, 0, 0, 1, 1, 1 }, new long[] { 3, 2 });
        Assert.Equal(new float[] { 4, 5, 10, 11 }, F(a.mm(b)));
        Assert.Equal(F(a.mm(b)), F(torch.matmul(a, b)));

        var batch = torch.stack(new[] { a, a * 2 });                 // (2, 2, 3)
        var rhs = torch.stack(new[] { b, b });                       // (2, 3, 2)
        var product = torch.bmm(batch, rhs);
        Assert.Equal(new long[] { 2, 2, 2 }, product.shape);
        Assert.Equal(new float[] { 4, 5, 10, 11, 8, 10, 20, 22 }, F(product));
        Assert.Equal(F(product), F(batch.matmul(b)));                // matmul broadcasts b over the batch
        Assert.Throws<TorchException>(() => batch.mm(rhs));          // mm is 2-D only
    }
}
