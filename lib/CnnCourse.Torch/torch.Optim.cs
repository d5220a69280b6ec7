using CnnCourse.Torch.Optim;

namespace CnnCourse.Torch;

// torch.optim and torch.optim.lr_scheduler: factories shaped like PyTorch's constructors (and
// TorchSharp's factory methods). The classes live in CnnCourse.Torch.Optim.
public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Stochastic gradient descent with optional momentum, Nesterov and weight decay.</summary>
        public static Optim.SGD SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0,
                                    double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            new(parameters, lr, momentum, dampening, weight_decay, nesterov, maximize);

        public static Optim.SGD SGD(IEnumerable<ParamGroup> param_groups, double lr, double momentum = 0, double dampening = 0,
                                    double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            new(param_groups, lr, momentum, dampening, weight_decay, nesterov, maximize);

        /// <summary>Adam; PyTorch's <c>betas=(b1, b2)</c> are <paramref name="beta1"/>, <paramref name="beta2"/> here (as in TorchSharp).</summary>
        public static Optim.Adam Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                                      double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        public static Optim.Adam Adam(IEnumerable<ParamGroup> param_groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                                      double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            new(param_groups, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>AdamW: Adam with decoupled weight decay (default 0.01).</summary>
        public static Optim.AdamW AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                                        double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        public static Optim.AdamW AdamW(IEnumerable<ParamGroup> param_groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                                        double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            new(param_groups, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>RMSprop with optional momentum and centering.</summary>
        public static Optim.RMSprop RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                                            double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
            new(parameters, lr, alpha, eps, weight_decay, momentum, centered, maximize);

        public static Optim.RMSprop RMSprop(IEnumerable<ParamGroup> param_groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                                            double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
            new(param_groups, lr, alpha, eps, weight_decay, momentum, centered, maximize);

        /// <summary>TorchSharp's spelling of <see cref="RMSprop(IEnumerable{Tensor}, double, double, double, double, double, bool, bool)"/>.</summary>
        public static Optim.RMSprop RMSProp(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                                            double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
            new(parameters, lr, alpha, eps, weight_decay, momentum, centered, maximize);

        public static partial class lr_scheduler
        {
            public static Optim.StepLR StepLR(Optimizer optimizer, int step_size, double gamma = 0.1, int last_epoch = -1) =>
                new(optimizer, step_size, gamma, last_epoch);

            public static Optim.MultiStepLR MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int last_epoch = -1) =>
                new(optimizer, milestones, gamma, last_epoch);

            public static Optim.CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0, int last_epoch = -1) =>
                new(optimizer, T_max, eta_min, last_epoch);

            public static Optim.LinearLR LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
                                                  int total_iters = 5, int last_epoch = -1) =>
                new(optimizer, start_factor, end_factor, total_iters, last_epoch);

            public static Optim.OneCycleLR OneCycleLR(Optimizer optimizer, double max_lr, int? total_steps = null, int? epochs = null,
                                                      int? steps_per_epoch = null, double pct_start = 0.3, string anneal_strategy = "cos",
                                                      bool cycle_momentum = true, double base_momentum = 0.85, double max_momentum = 0.95,
                                                      double div_factor = 25.0, double final_div_factor = 1e4, bool three_phase = false,
                                                      int last_epoch = -1) =>
                new(optimizer, max_lr, total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy, cycle_momentum,
                    base_momentum, max_momentum, div_factor, final_div_factor, three_phase, last_epoch);

            public static Optim.OneCycleLR OneCycleLR(Optimizer optimizer, IReadOnlyList<double> max_lr, int? total_steps = null, int? epochs = null,
                                                      int? steps_per_epoch = null, double pct_start = 0.3, string anneal_strategy = "cos",
                                                      bool cycle_momentum = true, double base_momentum = 0.85, double max_momentum = 0.95,
                                                      double div_factor = 25.0, double final_div_factor = 1e4, bool three_phase = false,
                                                      int last_epoch = -1) =>
                new(optimizer, max_lr, total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy, cycle_momentum,
                    base_momentum, max_momentum, div_factor, final_div_factor, three_phase, last_epoch);

            public static Optim.ReduceLROnPlateau ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1,
                                                                    int patience = 10, double threshold = 1e-4, string threshold_mode = "rel",
                                                                    int cooldown = 0, double min_lr = 0, double eps = 1e-8) =>
                new(optimizer, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps);
        }
    }
}
