using CnnCourse.Torch.Native;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// Stochastic gradient descent, optionally with momentum (heavy-ball or Nesterov), dampening and
/// L2 weight decay: PyTorch's <c>torch.optim.SGD</c>. With momentum μ, dampening τ and weight
/// decay λ, each step computes g = ∇ + λθ, b = μb + (1 − τ)g (b = g on the first step),
/// d = g + μb (Nesterov) or b, and θ ← θ − lr·d.
/// </summary>
public sealed class SGD : Optimizer
{
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0,
               double weight_decay = 0, bool nesterov = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, lr, momentum, dampening, weight_decay, nesterov, maximize) { }

    public SGD(IEnumerable<ParamGroup> param_groups, double lr, double momentum = 0, double dampening = 0,
               double weight_decay = 0, bool nesterov = false, bool maximize = false)
        : base(param_groups, Defaults(lr, momentum, dampening, weight_decay, nesterov, maximize)) { }

    private static KeyValuePair<string, object>[] Defaults(double lr, double momentum, double dampening, double weight_decay, bool nesterov, bool maximize)
    {
        if (!(lr >= 0)) throw new ArgumentException($"Invalid learning rate: {lr}", nameof(lr));
        if (!(momentum >= 0)) throw new ArgumentException($"Invalid momentum value: {momentum}", nameof(momentum));
        if (!(weight_decay >= 0)) throw new ArgumentException($"Invalid weight_decay value: {weight_decay}", nameof(weight_decay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening", nameof(nesterov));
        return new KeyValuePair<string, object>[]
        {
            new("lr", lr), new("momentum", momentum), new("dampening", dampening),
            new("weight_decay", weight_decay), new("nesterov", nesterov), new("maximize", maximize),
        };
    }

    protected override void Update(ParamGroup group, IReadOnlyList<Tensor> parameters)
    {
        double momentum = group.momentum;
        Tensor[]? buffers = null;
        byte[]? fresh = null;
        if (momentum != 0)
        {
            buffers = new Tensor[parameters.Count];
            fresh = new byte[parameters.Count];
            for (int i = 0; i < parameters.Count; i++)
            {
                var st = StateOf(parameters[i]);
                if (st.TryGetValue("momentum_buffer", out var b)) buffers[i] = b;
                else
                {
                    // Filled natively with the first (decayed) gradient, as PyTorch's clone.
                    buffers[i] = st.Add("momentum_buffer", torch.zeros_like(parameters[i]));
                    fresh[i] = 1;
                }
            }
        }
        double lr = group.lr, dampening = group.dampening, weight_decay = group.weight_decay;
        bool nesterov = group.nesterov, maximize = group.maximize;
        NativeStep("SGD.step", a => NativeMethods.cnt_optim_sgd_step_(a[0], a[1], fresh, parameters.Count,
            lr, momentum, dampening, weight_decay, nesterov, maximize), parameters, buffers);
    }
}
