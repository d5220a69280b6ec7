using CnnCourse.Torch;

namespace CnnCourse.Torch.Tests;

/// <summary>backward's options and the gradient-mode scopes, against values derived by hand.</summary>
[Collection(ProcessWideState.Name)]
public class AutogradOptionTests
{
    [Fact]
    public void Backward_with_a_gradient_computes_the_vector_Jacobian_product()
    {
        // y = x², so dL/dx = v · 2x for the upstream gradient v.
        using var x = torch.tensor(new float[] { 1, 2, 3 }).requires_grad_(true);
        using var y = x * x;
        using var v = torch.tensor(new float[] { 1, 0.5f, -2 });
        y.backward(v);
        Assert.Equal(new float[] { 2, 2, -12 }, x.grad!.ToArray<float>());
    }

    [Fact]
    public void Retain_graph_allows_a_second_backward_and_gradients_accumulate()
    {
        using var x = torch.tensor(new float[] { 3 }).requires_grad_(true);
        using var y = x * x * x;                     // dy/dx = 3x² = 27
        y.backward(retain_graph: true);
        y.backward();                                // the retained graph runs again; grads add up
        Assert.Equal(54f, x.grad!.item<float>());

        using var z = x * x;
        z.backward();                                // default: the graph's buffers are freed
        var second = Assert.Throws<TorchException>(() => z.backward());
        Assert.Contains("backward", second.Message);
    }

    [Fact]
    public void Enable_grad_reenables_recording_inside_no_grad()
    {
        using var x = torch.ones(2).requires_grad_(true);
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            using var frozen = x * 2;
            Assert.False(frozen.requires_grad);
            using (torch.enable_grad())
            {
                Assert.True(torch.is_grad_enabled());
                using var recorded = x * 2;
                Assert.True(recorded.requires_grad);
                using var total = recorded.sum();
                total.backward();
            }
            Assert.False(torch.is_grad_enabled());
        }
        Assert.True(torch.is_grad_enabled());
        Assert.Equal(new float[] { 2, 2 }, x.grad!.ToArray<float>());
    }
}
