using CnnCourse.Torch.Native;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// RMSprop (Hinton, lecture 6e): divides the gradient by a running root mean square,
/// v = αv + (1 − α)g², optionally centered (subtracting the running mean of g) and with momentum:
/// PyTorch's <c>torch.optim.RMSprop</c>. Without momentum θ ← θ − lr·g/(√v + ε); with momentum μ,
/// b = μb + g/(√v + ε) and θ ← θ − lr·b.
/// </summary>
public sealed class RMSprop : Optimizer
{
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                   double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, lr, alpha, eps, weight_decay, momentum, centered, maximize) { }

    public RMSprop(IEnumerable<ParamGroup> param_groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                   double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base(param_groups, Defaults(lr, alpha, eps, weight_decay, momentum, centered, maximize)) { }

    private static KeyValuePair<string, object>[] Defaults(double lr, double alpha, double eps, double weight_decay, double momentum, bool centered, bool maximize)
    {
        if (!(lr >= 0)) throw new ArgumentException($"Invalid learning rate: {lr}", nameof(lr));
        if (!(eps >= 0)) throw new ArgumentException($"Invalid epsilon value: {eps}", nameof(eps));
        if (!(momentum >= 0)) throw new ArgumentException($"Invalid momentum value: {momentum}", nameof(momentum));
        if (!(weight_decay >= 0)) throw new ArgumentException($"Invalid weight_decay value: {weight_decay}", nameof(weight_decay));
        if (!(alpha >= 0)) throw new ArgumentException($"Invalid alpha value: {alpha}", nameof(alpha));
        return new KeyValuePair<string, object>[]
        {
            new("lr", lr), new("momentum", momentum), new("alpha", alpha), new("eps", eps),
            new("centered", centered), new("weight_decay", weight_decay), new("maximize", maximize),
        };
    }

    protected override void Update(ParamGroup group, IReadOnlyList<Tensor> parameters)
    {
        double momentum = group.momentum;
        bool centered = group.centered;
        int n = parameters.Count;
        var steps = new Tensor[n];
        var squareAvgs = new Tensor[n];
        var buffers = momentum > 0 ? new Tensor[n] : null;
        var gradAvgs = centered ? new Tensor[n] : null;
        for (int i = 0; i < n; i++)
        {
            var p = parameters[i];
            var st = StateOf(p);
            // PyTorch counts RMSprop's steps in a Python int; an int64 scalar holds it here.
            steps[i] = st.GetOrCreate("step", () => NewStepCounter(ScalarType.Int64));
            squareAvgs[i] = st.GetOrCreate("square_avg", () => torch.zeros_like(p));
            if (buffers is not null) buffers[i] = st.GetOrCreate("momentum_buffer", () => torch.zeros_like(p));
            if (gradAvgs is not null) gradAvgs[i] = st.GetOrCreate("grad_avg", () => torch.zeros_like(p));
        }
        double lr = group.lr, alpha = group.alpha, eps = group.eps, weight_decay = group.weight_decay;
        bool maximize = group.maximize;
        NativeStep("RMSprop.step", a => NativeMethods.cnt_optim_rmsprop_step_(a[0], a[1], a[2], a[3], a[4], n,
            lr, alpha, eps, weight_decay, momentum, centered, maximize), parameters, squareAvgs, gradAvgs, buffers, steps);
    }
}
