using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

// The error contract of the tensor operations, as a table of wrong calls:
//  - what libtorch rejects (shapes, dtypes, dims and indices out of range) → TorchException whose
//    message starts with the C# operation and whose Kind follows PyTorch's exception type
//    (IndexError → Index, RuntimeError → Runtime);
//  - sizes below their minimum (negative, or below -1 where -1 means "infer") and missing
//    arguments → ArgumentException, checked in C# before libtorch is called;
//  - a disposed tensor anywhere in the call → ObjectDisposedException.
// After each failure the process keeps working (the next call succeeds).
public class BadInputTests
{
    private sealed record Case(Action Call, Type Exception, TorchErrorKind? Kind = null, string? Operation = null, string? Message = null);

    private static Tensor M() => torch.arange(6.0).view(2, 3); // [[0, 1, 2], [3, 4, 5]], float32

    private static Tensor Disposed()
    {
        var t = torch.ones(2, 3);
        t.Dispose();
        return t;
    }

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // mismatched shapes
        ["cat of tensors whose other sizes differ"] = new(() => torch.cat(new[] { M(), torch.ones(2, 2) }), typeof(TorchException), TorchErrorKind.Runtime, "cat", "Sizes of tensors must match"),
        ["stack of different shapes"] = new(() => torch.stack(new[] { M(), torch.ones(3, 2) }), typeof(TorchException), TorchErrorKind.Runtime, "stack", "equal size"),
        ["matmul of 2x3 and 2x2"] = new(() => M().matmul(torch.ones(2, 2)), typeof(TorchException), TorchErrorKind.Runtime, "matmul", "(2x3 and 2x2)"),
        ["mm with mismatched inner sizes"] = new(() => M().mm(M()), typeof(TorchException), TorchErrorKind.Runtime, "mm", "cannot be multiplied"),
        ["bmm of 2-D tensors"] = new(() => torch.bmm(M(), M()), typeof(TorchException), TorchErrorKind.Runtime, "bmm", "3D"),
        ["view to a size that does not fit"] = new(() => M().view(4), typeof(TorchException), TorchErrorKind.Runtime, "view", "shape '[4]' is invalid for input of size 6"),
        ["view of a non-contiguous tensor"] = new(() => M().t().view(6), typeof(TorchException), TorchErrorKind.Runtime, "view", "reshape"),
        ["unflatten to sizes that do not multiply up"] = new(() => M().unflatten(1, 2, 2), typeof(TorchException), TorchErrorKind.Runtime, "unflatten"),
        ["add of shapes that do not broadcast"] = new(() => M().add(torch.ones(4)), typeof(TorchException), TorchErrorKind.Runtime, "add", "must match the size"),
        ["expand of a non-singleton dimension"] = new(() => torch.ones(3).expand(4), typeof(TorchException), TorchErrorKind.Runtime, "expand"),
        ["split sizes that do not add up"] = new(() => M().split(new long[] { 1, 1 }, 1), typeof(TorchException), TorchErrorKind.Runtime, "split"),
        ["assigning a row of the wrong length"] = new(() => { var m = M(); m[0] = torch.ones(4); }, typeof(TorchException), TorchErrorKind.Runtime, "index_put_"),
        ["a mask of the wrong shape"] = new(() => _ = M()[torch.tensor(new[] { true, false, true })], typeof(TorchException), TorchErrorKind.Index, "index", "shape of the mask"),
        ["where with a non-bool condition"] = new(() => torch.where(torch.ones(2, 3), M(), M()), typeof(TorchException), TorchErrorKind.Runtime, "where", "boolean"),
        ["permute with a repeated dim"] = new(() => M().permute(0, 0), typeof(TorchException), TorchErrorKind.Runtime, "permute"),
        ["cat of an empty list"] = new(() => torch.cat(Array.Empty<Tensor>()), typeof(TorchException), TorchErrorKind.Runtime, "cat", "non-empty"),

        // wrong dtypes
        ["indexing with a float tensor"] = new(() => _ = M()[torch.tensor(new float[] { 0 })], typeof(TorchException), TorchErrorKind.Index, "index", "must be long, byte or bool"),
        ["index_select with float indices"] = new(() => M().index_select(0, torch.tensor(new float[] { 0 })), typeof(TorchException), TorchErrorKind.Runtime, "index_select", "int32 or int64"),
        ["gather with int32 indices"] = new(() => M().gather(1, torch.zeros(new long[] { 2, 1 }, dtype: torch.int32)), typeof(TorchException), TorchErrorKind.Runtime, "gather", "int64"),
        ["mm of float32 and float64"] = new(() => M().mm(torch.ones(new long[] { 3, 2 }, dtype: torch.float64)), typeof(TorchException), TorchErrorKind.Runtime, "mm", "Float"),
        ["ToArray of the wrong element type"] = new(() => M().ToArray<double>(), typeof(InvalidOperationException)),

        // negative (or otherwise invalid) sizes and counts
        ["view with a size below -1"] = new(() => M().view(-2, 3), typeof(ArgumentException), Message: "invalid size -2"),
        ["reshape with a size below -1"] = new(() => M().reshape(3, -3), typeof(ArgumentException)),
        ["expand with a size below -1"] = new(() => M().expand(2, -2), typeof(ArgumentException)),
        ["repeat with a negative count"] = new(() => M().repeat(-1, 2), typeof(ArgumentException)),
        ["split with a negative size"] = new(() => M().split(-1), typeof(ArgumentException)),
        ["split with a negative piece"] = new(() => M().split(new long[] { 3, -1 }, 1), typeof(ArgumentException)),
        ["chunk into zero pieces"] = new(() => M().chunk(0), typeof(ArgumentException)),
        ["narrow with a negative length"] = new(() => M().narrow(1, 0, -1), typeof(ArgumentException)),
        ["topk with a negative k"] = new(() => M().topk(-1), typeof(ArgumentException)),
        ["zeros with a negative size"] = new(() => torch.zeros(2, -1), typeof(ArgumentException)),
        ["a slice with step 0"] = new(() => TensorIndex.Slice(0, 2, 0), typeof(ArgumentException)),
        ["pad with an odd number of amounts"] = new(() => torch.nn.functional.pad(M(), new long[] { 1 }), typeof(ArgumentException)),
        ["clamp without bounds"] = new(() => M().clamp(), typeof(ArgumentException)),
        ["std over an empty dim list"] = new(() => M().std(Array.Empty<long>(), correction: 1), typeof(ArgumentException)),
        ["cat of a null list"] = new(() => torch.cat(null!), typeof(ArgumentNullException)),
        ["cat with a null entry"] = new(() => torch.cat(new Tensor[] { M(), null! }), typeof(ArgumentNullException)),
        ["view with a null shape"] = new(() => M().view(null!), typeof(ArgumentNullException)),

        // dims and indices out of range
        ["transpose of dim 5 of a 2-D tensor"] = new(() => M().transpose(0, 5), typeof(TorchException), TorchErrorKind.Index, "transpose", "Dimension out of range"),
        ["sum over dim 3"] = new(() => M().sum(3), typeof(TorchException), TorchErrorKind.Index, "sum", "Dimension out of range"),
        ["cat along dim 2 of 2-D tensors"] = new(() => torch.cat(new[] { M(), M() }, 2), typeof(TorchException), TorchErrorKind.Index, "cat"),
        ["max along dim 2"] = new(() => M().max(2), typeof(TorchException), TorchErrorKind.Index, "max"),
        ["split along dim 4"] = new(() => M().split(1, 4), typeof(TorchException), TorchErrorKind.Index, "split"),
        ["unsqueeze at dim 4"] = new(() => M().unsqueeze(4), typeof(TorchException), TorchErrorKind.Index, "unsqueeze"),
        ["row 5 of 2"] = new(() => _ = M()[5], typeof(TorchException), TorchErrorKind.Index, "index", "index 5 is out of bounds for dimension 0 with size 2"),
        ["too many indices"] = new(() => _ = M()[0, 0, 0], typeof(TorchException), TorchErrorKind.Index, "index", "too many indices"),
        ["select of index 3 of 3"] = new(() => M().select(1, 3), typeof(TorchException), TorchErrorKind.Index, "select"),
        ["narrow past the end"] = new(() => M().narrow(1, 1, 5), typeof(TorchException), TorchErrorKind.Runtime, "narrow", "exceeds dimension size"),
        ["gather of position 5"] = new(() => M().gather(1, torch.tensor(new long[] { 5, 0 }, new long[] { 2, 1 })), typeof(TorchException), TorchErrorKind.Runtime, "gather", "out of bounds"),
        ["scatter to position 3"] = new(() => torch.zeros(2, 3).scatter_(1, torch.tensor(new long[] { 3 }, new long[] { 1, 1 }), 1.0), typeof(TorchException), TorchErrorKind.Runtime, "scatter_"),
        ["index_select of position 7"] = new(() => M().index_select(1, torch.tensor(new long[] { 7 })), typeof(TorchException), null, "index_select"),
        ["topk with k above the size"] = new(() => M().topk(5), typeof(TorchException), TorchErrorKind.Runtime, "topk", "out of range"),
        ["size of dim 5 (managed)"] = new(() => M().size(5), typeof(IndexOutOfRangeException)),

        // disposed tensors
        ["an op on a disposed tensor"] = new(() => Disposed().exp(), typeof(ObjectDisposedException)),
        ["a disposed second operand"] = new(() => M().add(Disposed()), typeof(ObjectDisposedException)),
        ["a disposed tensor in a cat list"] = new(() => torch.cat(new[] { M(), Disposed() }), typeof(ObjectDisposedException)),
        ["indexing with a disposed index"] = new(() => _ = M()[Disposed()], typeof(ObjectDisposedException)),
        ["assigning a disposed value"] = new(() => { var m = M(); m[0] = Disposed(); }, typeof(ObjectDisposedException)),
        ["a disposed mask"] = new(() => M().masked_fill(Disposed(), 0), typeof(ObjectDisposedException)),
        ["the shape of a disposed tensor"] = new(() => _ = Disposed().shape, typeof(ObjectDisposedException)),
        ["printing a disposed tensor is allowed"] = new(() => { if (Disposed().ToString() != "tensor(<disposed>)") throw new InvalidOperationException(); }, typeof(void)),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Wrong_calls_raise_the_documented_exception_and_the_process_survives(string name)
    {
        using var scope = torch.NewDisposeScope();
        var c = Cases[name];
        if (c.Exception == typeof(void))
            c.Call();
        else
        {
            var e = Assert.ThrowsAny<Exception>(c.Call);
            Assert.IsType(c.Exception, e);
            if (c.Message is not null) Assert.Contains(c.Message, e.Message);
            if (e is TorchException te)
            {
                if (c.Kind is { } kind) Assert.Equal(kind, te.Kind);
                Assert.StartsWith(c.Operation + ": ", te.Message);
                Assert.DoesNotContain("\n", te.Message); // first line only; the full text is in NativeMessage
                Assert.NotEmpty(te.NativeMessage);
            }
        }

        // the error left nothing behind: the next calls work
        var ok = torch.arange(4.0).view(2, 2).sum(1);
        Assert.Equal(new float[] { 1, 5 }, ok.ToArray<float>());
    }

    [Fact]
    public void An_op_on_a_disposed_tensor_throws_ObjectDisposedException()
    {
        var x = torch.ones(2, 2);
        var y = x.view(4);
        x.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => x.reshape(4));
        Assert.Contains("disposed", e.Message);
        Assert.Throws<ObjectDisposedException>(() => x[0]);
        Assert.Throws<ObjectDisposedException>(() => x.max(0));
        Assert.Throws<ObjectDisposedException>(() => x.split(1));
        Assert.Throws<ObjectDisposedException>(() => torch.where(x > 0, x, 0.0));
        x.Dispose(); // a second Dispose is harmless
        // a view keeps its own reference to the storage: it stays usable after the base is disposed
        Assert.Equal(new float[] { 1, 1, 1, 1 }, y.ToArray<float>());
        y.Dispose();
    }

    [Fact]
    public void Every_bad_input_category_is_in_the_table()
    {
        Assert.Contains(Cases.Values, c => c.Exception == typeof(ObjectDisposedException));
        Assert.Contains(Cases.Values, c => c.Exception == typeof(ArgumentException));
        Assert.Contains(Cases.Values, c => c.Kind == TorchErrorKind.Index);
        Assert.Contains(Cases.Values, c => c.Kind == TorchErrorKind.Runtime);
        Assert.True(Cases.Count >= 50);
    }
}
