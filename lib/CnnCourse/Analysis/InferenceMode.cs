using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>
/// Evaluation mode and no_grad until disposed, then every module's own training flag back as it
/// was (a model with a frozen, eval-mode BatchNorm inside a training network stays so).
/// </summary>
internal sealed class InferenceMode : IDisposable
{
    private readonly nn.Module model;
    private readonly List<(nn.Module module, bool training)> modes;
    private readonly IDisposable noGrad;
    private bool disposed;

    public InferenceMode(nn.Module model)
    {
        this.model = model;
        modes = ModuleTree.Walk(model).Select(m => (m.Module, m.Module.training)).ToList();
        model.eval();
        noGrad = torch.no_grad();
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        noGrad.Dispose();
        if (modes.All(m => m.training == modes[0].training))
        {
            model.train(modes[0].training);
            return;
        }
        // The walk lists parents before their children, so a child's own flag is set after its
        // parent's recursive train() has overwritten it.
        foreach (var (module, training) in modes) module.train(training);
    }
}
