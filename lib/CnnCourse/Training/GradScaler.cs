using System.Text.Json.Nodes;
using CnnCourse.Torch;
using CnnCourse.Torch.Optim;

namespace CnnCourse.Training;

/// <summary>
/// Dynamic loss scaling for float16 mixed precision (PyTorch's <c>torch.cuda.amp.GradScaler</c>):
/// the loss is multiplied by <see cref="Scale"/> before backward so small float16 gradients do not
/// underflow; the gradients are divided by it again before clipping and stepping. A step whose
/// gradients hold inf or NaN is skipped and the scale halved; after
/// <see cref="GrowthInterval"/> good steps in a row it doubles. The trainer uses one automatically
/// with <c>Autocast = ScalarType.Float16</c>. Scales are powers of two, so scaling is exact.
/// </summary>
public sealed class GradScaler
{
    public GradScaler(double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initScale > 0) || double.IsInfinity(initScale)) throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "initScale must be a positive finite number");
        if (!(growthFactor > 1)) throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "growthFactor must be > 1");
        if (!(backoffFactor > 0 && backoffFactor < 1)) throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "backoffFactor must be in (0, 1)");
        ArgumentOutOfRangeException.ThrowIfLessThan(growthInterval, 1);
        Scale = initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    /// <summary>The current loss scale.</summary>
    public double Scale { get; private set; }

    public double GrowthFactor { get; }
    public double BackoffFactor { get; }
    public int GrowthInterval { get; }

    /// <summary>Good steps in a row since the scale last changed.</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>Steps skipped so far because of inf/NaN gradients.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The loss times <see cref="Scale"/> (a new tensor).</summary>
    public Tensor ScaleLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.mul(Scale);
    }

    /// <summary>Divides the gradients of <paramref name="optimizer"/>'s parameters by <see cref="Scale"/>; false when one is inf or NaN.</summary>
    public bool Unscale(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using var scope = torch.NewDisposeScope();
        var grads = new List<Tensor>();
        foreach (var p in optimizer.parameters())
            if (p.grad is { } g) grads.Add(g);
        using (torch.no_grad())
            foreach (var g in grads) g.mul_(1.0 / Scale);
        return GradientClipping.AllFinite(grads);
    }

    /// <summary>Updates the scale after a step: backs off when the gradients were not finite, grows after a run of good steps.</summary>
    public void Update(bool gradientsFinite)
    {
        if (!gradientsFinite)
        {
            Scale *= BackoffFactor;
            GrowthTracker = 0;
            SkippedSteps++;
            return;
        }
        if (++GrowthTracker >= GrowthInterval)
        {
            Scale *= GrowthFactor;
            GrowthTracker = 0;
        }
    }

    internal JsonObject SaveState() => new()
    {
        ["scale"] = Scale,
        ["growth_tracker"] = GrowthTracker,
        ["skipped_steps"] = SkippedSteps,
    };

    internal void LoadState(JsonObject state)
    {
        Scale = state["scale"]!.GetValue<double>();
        GrowthTracker = state["growth_tracker"]!.GetValue<int>();
        SkippedSteps = state["skipped_steps"]!.GetValue<long>();
    }
}
