using CnnCourse.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Analysis;

/// <summary>
/// Every analysis call frees the tensors it creates (TorchSharp's counters are per thread, so tests
/// running beside this one do not disturb them).
/// </summary>
public class NoLeakTests
{
    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void Analysis_calls_free_their_temporaries()
    {
        using var net = TestModels.LeNet();
        using var x = torch.zeros(2, 1, 28, 28);
        long before = Live;

        Summary.Of(net, 1, 1, 28, 28);
        Summary.OfInput(net, x);
        Assert.Throws<ArgumentException>(() => Summary.Of(net, 1, 1, 32, 32));
        Latency.Measure(net, x, warmup: 1, runs: 2);
        using (var features = new FeatureExtractor(net, "features.0", "classifier"))
        {
            features.Run(x);
            features.Run(x);
        }
        using (torch.NewDisposeScope())
        {
            FeatureExtractor.Capture(net, x, "features.3");
            Filters.Of(net, "features.0");
        }
        Assert.Equal(before, Live);

        using (torch.NewDisposeScope()) net.call(x).sum().backward();
        long withGrads = Live; // the gradients now belong to the parameters
        GradientNorms.PerLayer(net);
        GradientNorms.PerParameter(net);
        Assert.Equal(withGrads, Live);
        net.zero_grad();
    }
}
