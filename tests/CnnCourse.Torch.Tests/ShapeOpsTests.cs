using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

// Views, reshaping, joining, splitting, padding and channels_last. Values worked out by hand from
// arange inputs; padding values checked against torch.nn.functional.pad (torch 1.13).
public class ShapeOpsTests
{
    private static float[] F(Tensor t) => t.ToArray<float>();
    private static long[] L(Tensor t) => t.ToArray<long>();

    [Fact]
    public void View_reshape_and_flatten_keep_row_major_order()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(24).view(2, 3, 4);
        Assert.Equal(new long[] { 2, 3, 4 }, x.shape);
        Assert.Equal(new long[] { 6, 4 }, x.view(-1, 4).shape);
        Assert.Equal(new long[] { 2, 12 }, x.flatten(1).shape);
        Assert.Equal(new long[] { 6, 4 }, x.flatten(0, 1).shape);
        Assert.Equal(new long[] { 24 }, x.flatten().shape);
        Assert.Equal(new long[] { 2, 3, 2, 2 }, x.unflatten(2, 2, -1).shape);
        Assert.Equal(new long[] { 4, 6 }, x.reshape(4, -1).shape);
        Assert.Equal(L(x), L(x.reshape(4, 6)));

        // a view shares storage: writing through it changes the original
        var v = x.view(6, 4);
        v[0, 0] = 100;
        Assert.Equal(100, x[0, 0, 0].item<long>());

        // a transposed tensor cannot be viewed, but it can be reshaped (a copy)
        var t = x.transpose(1, 2);
        Assert.False(t.is_contiguous());
        Assert.Throws<TorchException>(() => t.view(-1));
        Assert.Equal(new long[] { 100, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, L(t[0].reshape(-1)));
        Assert.Equal(new long[] { 100, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, L(t[0].contiguous().view(12)));
    }

    [Fact]
    public void Permute_transpose_and_t_reorder_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        var m = torch.arange(6).view(2, 3);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, L(m.t().contiguous()));
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, L(m.transpose(0, 1).contiguous()));
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, L(m.T.contiguous()));
        Assert.Equal(new long[] { 1, 3 }, m.t().stride());

        var x = torch.zeros(2, 3, 4, 5);
        var nhwc = x.permute(0, 2, 3, 1);
        Assert.Equal(new long[] { 2, 4, 5, 3 }, nhwc.shape);
        Assert.Equal(new long[] { 5, 4, 3, 2 }, x.T.shape);
        Assert.Equal(new long[] { 2, 5, 4, 3 }, torch.permute(x, 0, -1, 2, 1).shape);
    }

    [Fact]
    public void Flip_reverses_the_given_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        var m = torch.arange(6).view(2, 3);
        Assert.Equal(new long[] { 2, 1, 0, 5, 4, 3 }, L(m.flip(1)));
        Assert.Equal(new long[] { 2, 1, 0, 5, 4, 3 }, L(m.flip(-1)));
        Assert.Equal(new long[] { 3, 4, 5, 0, 1, 2 }, L(torch.flip(m, 0)));
        Assert.Equal(new long[] { 5, 4, 3, 2, 1, 0 }, L(m.flip(0, 1)));
        Assert.Equal(0, m[0, 0].item<long>()); // a copy: the input is unchanged
        Assert.Throws<TorchException>(() => m.flip(2));
    }

    [Fact]
    public void Squeeze_unsqueeze_expand_and_repeat()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.zeros(1, 3, 1, 2);
        Assert.Equal(new long[] { 3, 2 }, x.squeeze().shape);
        Assert.Equal(new long[] { 3, 1, 2 }, x.squeeze(0).shape);
        Assert.Equal(new long[] { 1, 3, 2 }, x.squeeze(-2).shape);
        Assert.Equal(new long[] { 1, 3, 1, 2 }, x.squeeze(1).shape); // size 3: unchanged, as in PyTorch
        Assert.Equal(new long[] { 1, 3, 1, 2, 1 }, x.unsqueeze(-1).shape);
        Assert.Equal(new long[] { 3, 1 }, torch.arange(3).unsqueeze(1).shape);

        var column = torch.tensor(new long[] { 1, 2, 3 }).unsqueeze(1);
        var wide = column.expand(3, 4);
        Assert.Equal(new long[] { 3, 4 }, wide.shape);
        Assert.Equal(new long[] { 1, 0 }, wide.stride()); // no copy
        Assert.Equal(new long[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 }, L(wide.contiguous()));
        Assert.Equal(new long[] { 2, 3, 4 }, column.expand(2, -1, 4).shape);
        Assert.Equal(new long[] { 3, 4 }, column.expand_as(torch.zeros(3, 4)).shape);

        var row = torch.tensor(new long[] { 1, 2 });
        Assert.Equal(new long[] { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 }, L(row.repeat(2, 3)));
        Assert.Equal(new long[] { 2, 6 }, row.repeat(2, 3).shape);
    }

    [Fact]
    public void Cat_and_stack_join_along_existing_and_new_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        var b = torch.tensor(new float[] { 5, 6 }, new long[] { 1, 2 });
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, F(torch.cat(new[] { a, b })));
        Assert.Equal(new long[] { 3, 2 }, torch.cat(new[] { a, b }).shape);
        Assert.Equal(new float[] { 1, 2, 1, 2, 3, 4, 3, 4 }, F(torch.cat(new[] { a, a }, dim: 1)));
        Assert.Equal(new float[] { 1, 2, 1, 2, 3, 4, 3, 4 }, F(torch.cat(new List<Tensor> { a, a }, -1)));

        var s0 = torch.stack(new[] { a, a * 10 });
        Assert.Equal(new long[] { 2, 2, 2 }, s0.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 10, 20, 30, 40 }, F(s0));
        var s2 = torch.stack(new[] { a, a * 10 }, dim: 2);
        Assert.Equal(new long[] { 2, 2, 2 }, s2.shape);
        Assert.Equal(new float[] { 1, 10, 2, 20, 3, 30, 4, 40 }, F(s2));
    }

    [Fact]
    public void Split_chunk_and_unbind_return_views_of_the_pieces()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(10);
        var pieces = x.split(4);
        Assert.Equal(3, pieces.Length);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, L(pieces[0]));
        Assert.Equal(new long[] { 8, 9 }, L(pieces[2]));

        var sized = x.split(new long[] { 1, 2, 7 });
        Assert.Equal(new[] { 1L, 2, 7 }, sized.Select(p => p.shape[0]));
        Assert.Equal(new long[] { 1, 2 }, L(sized[1]));

        var chunks = x.chunk(3);
        Assert.Equal(new[] { 4L, 4, 2 }, chunks.Select(p => p.shape[0]));
        Assert.Equal(2, torch.arange(2).chunk(5).Length); // fewer chunks than asked for, as in PyTorch

        var m = torch.arange(6).view(2, 3);
        var columns = m.split(1, dim: 1);
        Assert.Equal(3, columns.Length);
        Assert.Equal(new long[] { 1, 4 }, L(columns[1]));
        Assert.Equal(new long[] { 2, 1 }, columns[1].shape);
        var rows = m.unbind();
        Assert.Equal(2, rows.Length);
        Assert.Equal(new long[] { 3, 4, 5 }, L(rows[1]));
        Assert.Equal(new long[] { 2, 5 }, L(m.unbind(1)[2]));

        // the pieces are views of x
        pieces[1].mul_(-1);
        Assert.Equal(new long[] { 0, 1, 2, 3, -4, -5, -6, -7, 8, 9 }, L(x));
        Assert.Single(torch.zeros(0).split(2)); // an empty dimension still gives one (empty) piece
    }

    [Fact]
    public void Pad_fills_constant_reflect_replicate_and_circular_borders()
    {
        using var scope = torch.NewDisposeScope();
        var row = torch.tensor(new float[] { 1, 2, 3 }, new long[] { 1, 1, 3 });
        // torch.nn.functional.pad(tensor([[[1., 2., 3.]]]), (2, 2), mode="reflect") etc.
        Assert.Equal(new float[] { 3, 2, 1, 2, 3, 2, 1 }, F(torch.nn.functional.pad(row, new long[] { 2, 2 }, PaddingModes.Reflect)));
        Assert.Equal(new float[] { 1, 1, 1, 2, 3, 3 }, F(torch.nn.functional.pad(row, new long[] { 2, 1 }, PaddingModes.Replicate)));
        Assert.Equal(new float[] { 2, 3, 1, 2, 3, 1 }, F(torch.nn.functional.pad(row, new long[] { 2, 1 }, "circular")));

        var m = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        var padded = torch.nn.functional.pad(m, new long[] { 1, 0, 0, 1 }, value: 9);
        Assert.Equal(new long[] { 3, 3 }, padded.shape);
        Assert.Equal(new float[] { 9, 1, 2, 9, 3, 4, 9, 9, 9 }, F(padded));
        Assert.Equal(new float[] { 0, 1, 2, 0, 0, 3, 4, 0 }, F(torch.nn.functional.pad(m, new long[] { 1, 1 })));
        Assert.Equal(new float[] { 2, 4 }, F(torch.nn.functional.pad(m, new long[] { -1, 0 }))); // negative amounts crop

        // channel padding of an NCHW batch (ResNet's option-A shortcut)
        var x = torch.ones(2, 3, 4, 4);
        Assert.Equal(new long[] { 2, 7, 4, 4 }, torch.nn.functional.pad(x, new long[] { 0, 0, 0, 0, 2, 2 }).shape);
        Assert.Throws<ArgumentException>(() => torch.nn.functional.pad(x, new long[] { 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => torch.nn.functional.pad(x, new long[] { 1, 1 }, "mirror"));
        // reflect padding must be smaller than the input
        Assert.Throws<TorchException>(() => torch.nn.functional.pad(row, new long[] { 3, 0 }, PaddingModes.Reflect));
    }

    [Fact]
    public void Gradients_flow_through_views_joins_padding_and_selection()
    {
        using var scope = torch.NewDisposeScope();
        double[] Grad(Func<Tensor, Tensor> f)
        {
            var x = torch.tensor(new[] { -1.0, 2.0, 3.0 }, requires_grad: true);
            f(x).backward();
            return x.grad!.ToArray<double>();
        }

        // d/dx of sum(where(x > 0, x², −x)) = (−1, 2x, 2x)
        Assert.Equal(new[] { -1.0, 4, 6 }, Grad(x => torch.where(x > 0, x * x, -x).sum()));
        // x appears once in cat, x[1:] once more
        Assert.Equal(new[] { 1.0, 2, 2 }, Grad(x => torch.cat(new[] { x, x[1..] }).sum()));
        // reflect padding by one on each side reads x1 x0 x1 x2 x1
        Assert.Equal(new[] { 1.0, 3, 1 }, Grad(x => torch.nn.functional.pad(x.view(1, 1, 3), new long[] { 1, 1 }, PaddingModes.Reflect).sum()));
        Assert.Equal(new[] { 1.0, 0, 2 }, Grad(x => x.gather(0, torch.tensor(new long[] { 2, 2, 0 })).sum()));
        Assert.Equal(new[] { 0.0, 0, 1 }, Grad(x => x.max()));
        Assert.Equal(new[] { 0.0, 1, 1 }, Grad(x => x.unsqueeze(0).expand(2, 3)[1, 1..].sum()));
        Assert.Equal(new[] { 0.0, 2, 3 }, Grad(x => x.clamp(min: 0).pow(2).sum() / 2));
    }

    [Fact]
    public void Channels_last_keeps_shape_and_values_and_changes_strides()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(2 * 3 * 4 * 5, dtype: torch.float32).view(2, 3, 4, 5);
        Assert.True(x.is_contiguous());
        Assert.False(x.is_contiguous(MemoryFormat.ChannelsLast));

        var cl = x.to(MemoryFormat.ChannelsLast);
        Assert.Equal(x.shape, cl.shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, cl.stride());
        Assert.True(cl.is_contiguous(MemoryFormat.ChannelsLast));
        Assert.False(cl.is_contiguous());
        Assert.Equal(F(x), F(cl)); // values read back in logical (NCHW) order

        var same = x.contiguous(MemoryFormat.ChannelsLast);
        Assert.Equal(cl.stride(), same.stride());
        Assert.Equal(new long[] { 60, 20, 5, 1 }, cl.contiguous().stride());
        Assert.Equal(new long[] { 60, 1, 15, 3 }, cl.to(MemoryFormat.Preserve).stride());
        Assert.Equal(new long[] { 60, 1, 15, 3 }, (cl * 2).stride()); // element-wise ops keep the layout
        Assert.Throws<TorchException>(() => torch.zeros(2, 3).to(MemoryFormat.ChannelsLast)); // channels_last needs 4-D
    }
}
