using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

// ToString against PyTorch's print: every expected string is repr(...) of the commented expression,
// printed by torch 1.13 with the default print options.
public class TensorFormatterTests
{
    private static double[] Range(int n) => Enumerable.Range(0, n).Select(i => (double)i).ToArray();

    public static TheoryData<double[], long[], ScalarType, string> Cases => new()
    {
        // torch.tensor([1., float('nan'), float('inf'), float('-inf')])
        { new[] { 1, double.NaN, double.PositiveInfinity, double.NegativeInfinity }, new long[] { 4 }, ScalarType.Float32, "tensor([1., nan, inf, -inf])" },
        // torch.tensor([1e5, 1.])
        { new[] { 1e5, 1 }, new long[] { 2 }, ScalarType.Float32, "tensor([1.0000e+05, 1.0000e+00])" },
        // torch.tensor([1e-5, 1.])
        { new[] { 1e-5, 1 }, new long[] { 2 }, ScalarType.Float32, "tensor([1.0000e-05, 1.0000e+00])" },
        // torch.tensor([0.1, 0.25, 100.])
        { new[] { 0.1, 0.25, 100 }, new long[] { 3 }, ScalarType.Float32, "tensor([  0.1000,   0.2500, 100.0000])" },
        // torch.tensor([[-0.5, 1.25], [3., -4.]])
        { new[] { -0.5, 1.25, 3, -4 }, new long[] { 2, 2 }, ScalarType.Float32, "tensor([[-0.5000,  1.2500],\n        [ 3.0000, -4.0000]])" },
        // torch.tensor([-0., 1.])
        { new[] { -0.0, 1 }, new long[] { 2 }, ScalarType.Float32, "tensor([-0., 1.])" },
        // torch.tensor([0.03125, 1.], dtype=torch.float64)
        { new[] { 0.03125, 1 }, new long[] { 2 }, ScalarType.Float64, "tensor([0.0312, 1.0000], dtype=torch.float64)" },
        // torch.tensor([-1, 10, 200])
        { new[] { -1.0, 10, 200 }, new long[] { 3 }, ScalarType.Int64, "tensor([ -1,  10, 200])" },
        // torch.tensor([True, False])
        { new[] { 1.0, 0 }, new long[] { 2 }, ScalarType.Bool, "tensor([ True, False])" },
        // torch.tensor([1., 2.5], dtype=torch.bfloat16)
        { new[] { 1, 2.5 }, new long[] { 2 }, ScalarType.BFloat16, "tensor([1.0000, 2.5000], dtype=torch.bfloat16)" },
        // torch.tensor(2.5)
        { new[] { 2.5 }, new long[] {  }, ScalarType.Float32, "tensor(2.5000)" },
        // torch.zeros(0, 3)
        { Array.Empty<double>(), new long[] { 0, 3 }, ScalarType.Float32, "tensor([], size=(0, 3))" },
        // torch.arange(24.).view(2, 3, 4)
        { Range(24), new long[] { 2, 3, 4 }, ScalarType.Float32, "tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]])" },
        // torch.arange(30.)
        { Range(30), new long[] { 30 }, ScalarType.Float32, "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n        28., 29.])" },
        // torch.arange(2000.)
        { Range(2000), new long[] { 2000 }, ScalarType.Float32, "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])" },
        // torch.arange(2000)
        { Range(2000), new long[] { 2000 }, ScalarType.Int64, "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])" },
        // torch.arange(2000.).view(2, 1000)
        { Range(2000), new long[] { 2, 1000 }, ScalarType.Float32, "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9700e+02, 9.9800e+02,\n         9.9900e+02],\n        [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]])" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToString_matches_pytorch_print(double[] values, long[] shape, ScalarType dtype, string expected)
    {
        using var t = torch.tensor<double>(values, shape, dtype: dtype);
        Assert.Equal(expected, t.ToString());
    }

    [Fact]
    public void ToString_notes_requires_grad_and_disposal()
    {
        var x = torch.tensor(new float[] { 1, 2 }, requires_grad: true);
        Assert.Equal("tensor([1., 2.], requires_grad=True)", x.ToString());
        x.Dispose();
        Assert.Equal("tensor(<disposed>)", x.ToString());
    }
}
