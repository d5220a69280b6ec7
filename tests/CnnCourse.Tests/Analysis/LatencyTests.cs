using CnnCourse.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Analysis;

public class LatencyTests
{
    [Fact]
    public void Percentiles_interpolate_as_numpy()
    {
        var values = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        // numpy.percentile(range(1, 11), [10, 50, 90]) = [1.9, 5.5, 9.1]
        Assert.Equal(1.9, LatencyResult.Percentile(values, 10), 12);
        Assert.Equal(5.5, LatencyResult.Percentile(values, 50), 12);
        Assert.Equal(9.1, LatencyResult.Percentile(values, 90), 12);
        Assert.Equal(7.0, LatencyResult.Percentile(new[] { 7.0 }, 90), 12);
    }

    [Fact]
    public void Measures_a_model_in_eval_mode_without_grad_and_restores_it()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TestModels.LeNet();
        var x = torch.zeros(8, 1, 28, 28);
        int calls = 0;
        bool anyTraining = false, anyGrad = false;
        var hook = net.register_forward_pre_hook((m, _) =>
        {
            calls++;
            anyTraining |= m.training;
            anyGrad |= torch.is_grad_enabled();
            return null!;
        });
        {
            long before = scope.DisposablesCount;
            var result = Latency.Measure(net, x, warmup: 2, runs: 5, label: "LeNet-5");
            Assert.Equal(before, scope.DisposablesCount); // each run's output is freed
            Assert.Equal(7, calls);
            Assert.Equal(5, result.Runs);
            Assert.Equal(2, result.Warmup);
            Assert.All(result.TimesMs, t => Assert.True(t > 0));
            Assert.True(result.MinMs <= result.P10Ms && result.P10Ms <= result.MedianMs && result.MedianMs <= result.P90Ms && result.P90Ms <= result.MaxMs);
            Assert.Equal(8 / (result.MedianMs / 1000), result.ItemsPerSecond!.Value, 6);
            Assert.StartsWith("LeNet-5: median ", result.ToString());
            Assert.Contains("5 runs after 2 warm-up, cpu, input [8, 1, 28, 28]", result.ToString());
            System.Xml.Linq.XElement.Parse(result.ToHtml());
        }
        hook.remove();
        Assert.False(anyTraining);
        Assert.False(anyGrad);
        Assert.True(net.training);
        Assert.True(torch.is_grad_enabled());
    }

    [Fact]
    public void Measures_any_action_and_checks_its_counts()
    {
        int runs = 0;
        var result = Latency.Measure(() => runs++, warmup: 0, runs: 3);
        Assert.Equal(3, runs);
        Assert.Equal(3, result.TimesMs.Count);
        Assert.Null(result.ItemsPerSecond);
        Assert.EndsWith("3 runs after 0 warm-up", result.ToString()); // no device claimed for an action
        using var net = nn.Linear(2, 2);
        using var x = torch.zeros(1, 2);
        Assert.Throws<ArgumentException>(() => Latency.Measure(net, x, warmup: -1));
        Assert.Throws<ArgumentException>(() => Latency.Measure(net, x, runs: 0));
    }
}
