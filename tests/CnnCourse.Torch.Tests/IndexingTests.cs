using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

// Indexers and selection. Expected values follow Python's indexing of the same arange tensors
// (checked with torch 1.13: x = torch.arange(24).view(2, 3, 4); x[..., -1], x[:, 1:, ::3], …).
public class IndexingTests
{
    private static long[] L(Tensor t) => t.ToArray<long>();
    private static float[] F(Tensor t) => t.ToArray<float>();

    [Fact]
    public void Integer_indexers_select_views()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(24).view(2, 3, 4);
        Assert.Equal(new long[] { 3, 4 }, x[1].shape);
        Assert.Equal(new long[] { 12, 13, 14, 15 }, L(x[1, 0]));
        Assert.Equal(23, x[-1, -1, -1].item<long>());
        Assert.Equal(6, x[0, 1, 2].item<long>());
        Assert.Equal(Array.Empty<long>(), x[0, 1, 2].shape);
        Assert.Equal(6, x[new long[] { 0, 1, 2 }].item<long>());
        Assert.Equal(new long[] { 4, 5, 6, 7 }, L(x.select(1, 1)[0]));
        Assert.Equal(new long[] { 1, 2 }, L(x[0, 0].narrow(0, 1, 2)));
        Assert.Equal(new long[] { 2, 2, 4 }, x.narrow(1, 1, 2).shape);
        Assert.Equal(new long[] { 1, 3 }, L(x[0, 0].slice(0, 1, null, 2)));
        Assert.Equal(new long[] { 0, 1 }, L(x[0, 0].slice(0, null, -2)));

        // views write through
        x[1][2][3] = -1;
        Assert.Equal(-1, x[1, 2, 3].item<long>());
    }

    [Fact]
    public void TensorIndex_covers_slices_ellipsis_none_and_bools()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(24).view(2, 3, 4);
        Assert.Equal(new long[] { 2, 3, 2 }, x[TensorIndex.Ellipsis, TensorIndex.Slice(1, 3)].shape);
        Assert.Equal(new long[] { 3, 7, 11, 15, 19, 23 }, L(x[TensorIndex.Ellipsis, -1]));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, x[TensorIndex.None].shape);
        Assert.Equal(new long[] { 2, 1, 3, 4 }, x[TensorIndex.Colon, TensorIndex.None].shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 8, 9, 10, 11 }, L(x[0, TensorIndex.Slice(step: 2)]));
        Assert.Equal(new long[] { 4, 7, 8, 11, 16, 19, 20, 23 }, L(x[TensorIndex.Colon, TensorIndex.Slice(1), TensorIndex.Slice(null, null, 3)]));
        Assert.Equal(new long[] { 1, 3, 4 }, x[TensorIndex.Slice(1)].shape);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, x[TensorIndex.Bool(true)].shape);
        Assert.Equal(new long[] { 0, 2, 3, 4 }, x[TensorIndex.Bool(false)].shape);

        // C# ranges and hat indices
        Assert.Equal(new long[] { 1, 2 }, L(x[0, 0, 1..3]));
        Assert.Equal(new long[] { 2, 3 }, L(x[0, 0, ^2..]));
        Assert.Equal(new long[] { 0, 1, 2 }, L(x[0, 0, ..^1]));
        Assert.Equal(23, x[^1, ^1, ^1].item<long>());
        Assert.Equal("1:3:2", TensorIndex.Slice(1, 3, 2).ToString());
    }

    [Fact]
    public void Tensor_indices_and_masks_gather_copies()
    {
        using var scope = torch.NewDisposeScope();
        var m = torch.tensor(new long[] { 1, -2, -3, 4 }, new long[] { 2, 2 });
        Assert.Equal(new long[] { 1, 4 }, L(m[m > 0]));
        Assert.Equal(new long[] { -3, 4, 1, -2 }, L(m[torch.tensor(new long[] { 1, 0 })]));
        Assert.Equal(new long[] { -2, -3 }, L(m[torch.tensor(new long[] { 0, 1 }), torch.tensor(new long[] { 1, 0 })]));
        Assert.Equal(new long[] { -2, -3 }, L(m.masked_select(m < 0)));

        var x = torch.arange(24).view(2, 3, 4);
        var picks = torch.tensor(new long[] { 2, 0 });
        Assert.Equal(new long[] { 8, 9, 10, 11, 0, 1, 2, 3 }, L(x[0, picks]));
        Assert.Equal(new long[] { 2, 2, 4 }, x[TensorIndex.Colon, picks].shape);
        Assert.Equal(new long[] { 2, 3 }, x[torch.tensor(new long[] { 1 }), TensorIndex.Colon, torch.tensor(new long[] { 0, 3 })].shape);
        Assert.Equal(new long[] { 8, 9, 10, 11, 0, 1, 2, 3 }, L(x[0].index_select(0, picks)));
        Assert.Equal(new long[] { 2, 0, 6, 4 }, L(x[0, TensorIndex.Slice(0, 2)].index_select(1, picks)));

        // index_select also takes int32 positions
        Assert.Equal(new long[] { -3, 4 }, L(m.index_select(0, torch.tensor(new int[] { 1 }))));
    }

    [Fact]
    public void Assignment_through_indexers_writes_tensors_and_numbers()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.zeros(3, 4);
        x[0] = torch.tensor(new float[] { 1, 2, 3, 4 });
        x[1, 2] = 7.5;
        x[2] = 9; // an integer broadcast into a float row
        x[TensorIndex.Colon, TensorIndex.Slice(0, 1)] = -1f;
        Assert.Equal(new float[] { -1, 2, 3, 4, -1, 0, 7.5f, 0, -1, 9, 9, 9 }, F(x));

        x[x > 5] = 0;
        Assert.Equal(new float[] { -1, 2, 3, 4, -1, 0, 0, 0, -1, 0, 0, 0 }, F(x));
        x[torch.tensor(new long[] { 1, 2 })] = torch.tensor(new double[] { 5, 6, 7, 8 }); // float64 converted to x's float32
        Assert.Equal(new float[] { 5, 6, 7, 8, 5, 6, 7, 8 }, F(x[1..]));
        Assert.Equal(ScalarType.Float32, x.dtype);

        x.index_put_(0.5, TensorIndex.Ellipsis, 0);
        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f }, F(x[TensorIndex.Colon, 0]));

        var bools = torch.zeros(new long[] { 3 }, dtype: torch.@bool);
        bools[1] = true;
        Assert.Equal(new[] { false, true, false }, bools.ToArray<bool>());
    }

    [Fact]
    public void Assigning_a_number_frees_its_temporary_tensor()
    {
        using var x = torch.zeros(4);
        long before = DisposeScope.Counters.Created - DisposeScope.Counters.Disposed;
        for (int i = 0; i < 4; i++) x[i] = i * 2.0;
        Assert.Equal(before, DisposeScope.Counters.Created - DisposeScope.Counters.Disposed);
        Assert.Equal(new float[] { 0, 2, 4, 6 }, F(x));
    }

    [Fact]
    public void Masked_fill_gather_scatter_and_index_put()
    {
        using var scope = torch.NewDisposeScope();
        var m = torch.tensor(new float[] { 1, -2, -3, 4 }, new long[] { 2, 2 });
        Assert.Equal(new float[] { 1, 0, 0, 4 }, F(m.masked_fill(m < 0, 0)));
        Assert.Equal(new float[] { 1, -2, -3, 4 }, F(m)); // masked_fill copies
        Assert.Equal(new float[] { 9, -2, 9, 4 }, F(m.masked_fill(torch.tensor(new[] { true, false }), 9))); // the mask broadcasts: column 0
        m.masked_fill_(m > 0, -7);
        Assert.Equal(new float[] { -7, -2, -3, -7 }, F(m));

        // torch.gather(tensor([[1, 2], [3, 4]]), 1, tensor([[0, 0], [1, 0]])) = [[1, 1], [4, 3]]
        var t = torch.tensor(new long[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        Assert.Equal(new long[] { 1, 1, 4, 3 }, L(t.gather(1, torch.tensor(new long[] { 0, 0, 1, 0 }, new long[] { 2, 2 }))));

        // torch.zeros(3, 5).scatter_(0, tensor([[0, 1, 2, 0, 0], [2, 0, 0, 1, 2]]), torch.arange(1., 11.).view(2, 5))
        var index = torch.tensor(new long[] { 0, 1, 2, 0, 0, 2, 0, 0, 1, 2 }, new long[] { 2, 5 });
        var src = torch.arange(1.0, 11.0).view(2, 5);
        var scattered = torch.zeros(3, 5).scatter_(0, index, src);
        Assert.Equal(new float[] { 1, 7, 8, 4, 5, 0, 2, 0, 9, 0, 6, 0, 3, 0, 10 }, F(scattered));
        Assert.Equal(F(scattered), F(torch.zeros(3, 5).scatter(0, index, src)));
        Assert.Equal(new float[] { 1, 0, 0, 1, 0, 0, 1, 0, 0, 1 }, F(torch.zeros(2, 5).scatter_(1, torch.tensor(new long[] { 0, 3, 4, 1 }, new long[] { 2, 2 }), 1.0)));

        // one-hot rows via scatter
        var labels = torch.tensor(new long[] { 2, 0 }).unsqueeze(1);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0 }, F(torch.zeros(2, 3).scatter(1, labels, 1)));
        Assert.Equal(new float[] { 0, 2, 2 }, F(torch.zeros(3).scatter_add(0, torch.tensor(new long[] { 1, 1, 2, 2 }), torch.ones(4))));

        var z = torch.zeros(5);
        z.index_put_(new[] { torch.tensor(new long[] { 0, 1, 1, 3 }) }, torch.tensor(new float[] { 1, 2, 3, 4 }), accumulate: true);
        Assert.Equal(new float[] { 1, 5, 0, 4, 0 }, F(z));
    }

    [Fact]
    public void Nonzero_and_where_return_coordinates()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(new long[] { 0, 1, 2, 0 }, new long[] { 2, 2 });
        var nz = t.nonzero();
        Assert.Equal(new long[] { 2, 2 }, nz.shape);
        Assert.Equal(new long[] { 0, 1, 1, 0 }, L(nz));
        var where = torch.where(t > 0);
        Assert.Equal(2, where.Length);
        Assert.Equal(new long[] { 0, 1 }, L(where[0]));
        Assert.Equal(new long[] { 1, 0 }, L(where[1]));
    }
}
