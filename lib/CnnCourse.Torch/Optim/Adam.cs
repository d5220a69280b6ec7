using CnnCourse.Torch.Native;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015), optionally AMSGrad, with L2 weight decay added to the gradient:
/// PyTorch's <c>torch.optim.Adam</c>. Each step: m = β₁m + (1 − β₁)g, v = β₂v + (1 − β₂)g²,
/// θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
public sealed class Adam : Optimizer
{
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) { }

    public Adam(IEnumerable<ParamGroup> param_groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(param_groups, AdamCore.Defaults(lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)) { }

    protected override void Update(ParamGroup group, IReadOnlyList<Tensor> parameters) =>
        AdamCore.Update(this, group, parameters, decoupled: false);
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019): Adam with decoupled weight decay, θ ← θ(1 − lr·λ) before
/// the Adam update: PyTorch's <c>torch.optim.AdamW</c> (default weight_decay 0.01).
/// </summary>
public sealed class AdamW : Optimizer
{
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                 double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) { }

    public AdamW(IEnumerable<ParamGroup> param_groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                 double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(param_groups, AdamCore.Defaults(lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)) { }

    protected override void Update(ParamGroup group, IReadOnlyList<Tensor> parameters) =>
        AdamCore.Update(this, group, parameters, decoupled: true);
}

/// <summary>What Adam and AdamW share: hyper-parameters, state buffers and the native call.</summary>
internal static class AdamCore
{
    internal static KeyValuePair<string, object>[] Defaults(double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
    {
        if (!(lr >= 0)) throw new ArgumentException($"Invalid learning rate: {lr}", nameof(lr));
        if (!(eps >= 0)) throw new ArgumentException($"Invalid epsilon value: {eps}", nameof(eps));
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"Invalid beta parameter at index 0: {beta1}", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"Invalid beta parameter at index 1: {beta2}", nameof(beta2));
        if (!(weight_decay >= 0)) throw new ArgumentException($"Invalid weight_decay value: {weight_decay}", nameof(weight_decay));
        return new KeyValuePair<string, object>[]
        {
            new("lr", lr), new("betas", (beta1, beta2)), new("eps", eps),
            new("weight_decay", weight_decay), new("amsgrad", amsgrad), new("maximize", maximize),
        };
    }

    internal static void Update(Optimizer optimizer, ParamGroup group, IReadOnlyList<Tensor> parameters, bool decoupled)
    {
        bool amsgrad = group.amsgrad;
        int n = parameters.Count;
        var steps = new Tensor[n];
        var expAvgs = new Tensor[n];
        var expAvgSqs = new Tensor[n];
        var maxSqs = amsgrad ? new Tensor[n] : null;
        for (int i = 0; i < n; i++)
        {
            var p = parameters[i];
            var st = optimizer.StateOf(p);
            steps[i] = st.GetOrCreate("step", () => Optimizer.NewStepCounter(ScalarType.Float32)); // PyTorch: torch.tensor(0.)
            expAvgs[i] = st.GetOrCreate("exp_avg", () => torch.zeros_like(p));
            expAvgSqs[i] = st.GetOrCreate("exp_avg_sq", () => torch.zeros_like(p));
            if (maxSqs is not null) maxSqs[i] = st.GetOrCreate("max_exp_avg_sq", () => torch.zeros_like(p));
        }
        double lr = group.lr, eps = group.eps, weight_decay = group.weight_decay;
        var (beta1, beta2) = group.betas;
        bool maximize = group.maximize;
        if (decoupled)
            Optimizer.NativeStep("AdamW.step", a => NativeMethods.cnt_optim_adamw_step_(a[0], a[1], a[2], a[3], a[4], n,
                lr, beta1, beta2, eps, weight_decay, amsgrad, maximize), parameters, expAvgs, expAvgSqs, maxSqs, steps);
        else
            Optimizer.NativeStep("Adam.step", a => NativeMethods.cnt_optim_adam_step_(a[0], a[1], a[2], a[3], a[4], n,
                lr, beta1, beta2, eps, weight_decay, amsgrad, maximize), parameters, expAvgs, expAvgSqs, maxSqs, steps);
    }
}
