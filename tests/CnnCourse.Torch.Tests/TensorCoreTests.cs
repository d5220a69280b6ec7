using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

[Collection(ProcessWideState.Name)]
public class TensorCoreTests
{
    [Fact]
    public void Creation_round_trips_values_shape_and_dtype()
    {
        using var t = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<float>());
        Assert.Equal(new long[] { 3, 1 }, t.stride());

        using var m = torch.tensor(new double[,] { { 1, 2 }, { 3, 4 } });
        Assert.Equal(new long[] { 2, 2 }, m.shape);
        Assert.Equal(ScalarType.Float64, m.dtype);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, m.ToArray<double>());

        using var b = torch.tensor(new bool[,] { { true, false } });
        Assert.Equal(new[] { true, false }, b.ToArray<bool>());
    }

    [Fact]
    public void Constants_ranges_and_defaults_follow_pytorch()
    {
        using var z = torch.zeros(2, 3);
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        using var f = torch.full(new long[] { 2 }, 7);
        Assert.Equal(ScalarType.Int64, f.dtype);
        Assert.Equal(new long[] { 7, 7 }, f.ToArray<long>());
        using var a = torch.arange(0, 10, 3);
        Assert.Equal(ScalarType.Int64, a.dtype);
        Assert.Equal(new long[] { 0, 3, 6, 9 }, a.ToArray<long>());
        using var l = torch.linspace(0, 1, 5, dtype: torch.float64);
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1 }, l.ToArray<double>());
        using var e = torch.eye(2);
        Assert.Equal(new float[] { 1, 0, 0, 1 }, e.ToArray<float>());
    }

    [Fact]
    public void Arithmetic_broadcasts_and_keeps_integer_types()
    {
        using var x = torch.tensor(new float[] { 1, 2, 3 });
        using var y = torch.tensor(new float[] { 10, 20, 30, 40, 50, 60 }, new long[] { 2, 3 });
        using var sum = x + y;
        Assert.Equal(new float[] { 11, 22, 33, 41, 52, 63 }, sum.ToArray<float>());
        using var scaled = 2 * x - 1;
        Assert.Equal(new float[] { 1, 3, 5 }, scaled.ToArray<float>());
        using var inv = 6 / x;
        Assert.Equal(new float[] { 6, 3, 2 }, inv.ToArray<float>());
        using var i = torch.arange(0, 3) + 1;
        Assert.Equal(ScalarType.Int64, i.dtype);
        using var total = y.sum();
        Assert.Equal(210f, total.item<float>());
        using var rows = y.mean(new long[] { 1 });
        Assert.Equal(new float[] { 20, 50 }, rows.ToArray<float>());
        // sum(0) is a reduction over dimension 0, not a dtype (the literal 0 converts to any enum).
        using var columns = y.sum(0);
        Assert.Equal(new float[] { 50, 70, 90 }, columns.ToArray<float>());
    }

    [Fact]
    public void Backward_computes_gradients_of_leaves()
    {
        using var x = torch.tensor(new double[] { 1, 2, 3 }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        using var g = x.grad!;
        Assert.Equal(new double[] { 2, 4, 6 }, g.ToArray<double>());

        using (torch.no_grad())
        {
            using var z = x * 2;
            Assert.False(z.requires_grad);
        }
        Assert.True(torch.is_grad_enabled());
    }

    [Fact]
    public void ToString_prints_like_pytorch()
    {
        using var t = torch.tensor(new float[] { 4, 3, 4, 2, 4, 3 }, new long[] { 2, 3 });
        Assert.Equal("tensor([[4., 3., 4.],\n        [2., 4., 3.]])", t.ToString());
        using var f = torch.tensor(new double[] { 0.5, 1.25 });
        Assert.Equal("tensor([0.5000, 1.2500], dtype=torch.float64)", f.ToString());
        using var s = torch.tensor(3L);
        Assert.Equal("tensor(3)", s.ToString());
    }

    [Fact]
    public void Errors_name_the_operation_and_carry_libtorchs_message()
    {
        using var a = torch.ones(2, 3);
        using var b = torch.ones(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.StartsWith("matmul: ", e.Message);
        Assert.Contains("2x3 and 4x5", e.Message);
        Assert.Throws<ArgumentException>(() => torch.zeros(2, -1));
        Assert.Throws<InvalidOperationException>(() => a.ToArray<double>());
        var disposed = torch.ones(1);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposed.sum());
    }

    [Fact]
    public void Dispose_scope_frees_temporaries_but_not_moved_tensors()
    {
        Tensor kept, temporary;
        long before = Tensor.LiveCount;
        using (var scope = torch.NewDisposeScope())
        {
            temporary = torch.ones(3);
            kept = scope.MoveToOuter(temporary * 2);
        }
        Assert.True(temporary.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.Equal(before + 1, Tensor.LiveCount);
        kept.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Runtime_uses_every_core_and_seeds_reproducibly()
    {
        Assert.Equal(Environment.ProcessorCount, torch.get_num_threads());
        torch.manual_seed(42);
        using var a = torch.randn(5);
        torch.manual_seed(42);
        using var b = torch.randn(5);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.Matches(@"^\d+\.\d+\.\d+", torch.__version__);
    }

    [Fact]
    public void Tensors_display_in_notebooks_by_the_formatter_convention()
    {
        // The notebook hosts look the attribute up by name and call the formatters by reflection.
        var attribute = typeof(Tensor).GetCustomAttributes(inherit: true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = ((IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).ToList();
        using var t = torch.tensor(new float[] { 1, 2 });
        var html = formatters.Single(f => (string)f.GetType().GetProperty("MimeType")!.GetValue(f)! == "text/html"
                                          && (Type)f.GetType().GetProperty("Type")!.GetValue(f)! == typeof(Tensor));
        var writer = new StringWriter();
        Assert.True((bool)html.GetType().GetMethod("Format")!.Invoke(html, new object[] { t, writer })!);
        Assert.Equal("<pre>tensor([1., 2.])</pre>", writer.ToString());
    }
}
