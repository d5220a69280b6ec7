// Optimizer steps over whole lists of parameters, in place and without recording gradients.
//
// Each step follows PyTorch 1.13's `_single_tensor_*` functions in torch/optim/{sgd,adam,adamw,
// rmsprop}.py operation for operation (same ATen ops, same order, same scalars), so a run here
// matches a run in PyTorch bit for bit on the same libtorch. State buffers are allocated by the
// managed optimizer and passed in; a parameter without a gradient is skipped, as in PyTorch.
#include "common.h"

#include <cmath>

using cnt::T;

namespace {

// The i-th handle of an optional array (NULL array: no such state for this optimizer setting).
at::Tensor& state_at(const cnt_tensor* array, int32_t i, const char* name) {
  if (array == nullptr) throw std::invalid_argument(std::string("missing optimizer state '") + name + "'");
  return T(array[i]);
}

void check_count(int32_t n) {
  if (n < 0) throw std::invalid_argument("negative parameter count");
}

// Adam and AdamW differ only in how weight decay enters (L2 on the gradient vs decoupled).
void adam_step(const cnt_tensor* params, const cnt_tensor* exp_avgs, const cnt_tensor* exp_avg_sqs,
               const cnt_tensor* max_exp_avg_sqs, const cnt_tensor* steps, int32_t n, double lr, double beta1,
               double beta2, double eps, double weight_decay, bool amsgrad, bool maximize, bool decoupled) {
  check_count(n);
  at::NoGradGuard no_grad;
  for (int32_t i = 0; i < n; ++i) {
    at::Tensor& param = T(params[i]);
    const at::Tensor& g = param.grad();
    if (!g.defined()) continue;
    at::Tensor grad = maximize ? at::neg(g) : g;
    at::Tensor& exp_avg = state_at(exp_avgs, i, "exp_avg");
    at::Tensor& exp_avg_sq = state_at(exp_avg_sqs, i, "exp_avg_sq");
    at::Tensor& step_t = state_at(steps, i, "step");

    step_t.add_(1);
    if (decoupled) {
      param.mul_(1 - lr * weight_decay);
    } else if (weight_decay != 0) {
      grad = grad.add(param, weight_decay);
    }

    exp_avg.mul_(beta1).add_(grad, 1 - beta1);
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);

    double step = step_t.item<double>();
    double bias_correction1 = 1 - std::pow(beta1, step);
    double bias_correction2 = 1 - std::pow(beta2, step);
    double step_size = lr / bias_correction1;
    double bias_correction2_sqrt = std::sqrt(bias_correction2);

    at::Tensor denom;
    if (amsgrad) {
      at::Tensor& max_sq = state_at(max_exp_avg_sqs, i, "max_exp_avg_sq");
      at::maximum_out(max_sq, max_sq, exp_avg_sq);
      denom = (max_sq.sqrt() / bias_correction2_sqrt).add_(eps);
    } else {
      denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps);
    }
    param.addcdiv_(exp_avg, denom, -step_size);
  }
}

// PyTorch's `_multi_tensor_sgd` (its default when every tensor is on CUDA): the same arithmetic
// as the loop below, in a few fused kernels over the whole list instead of two or three per
// parameter, which matters on a GPU where a small network's step is bound by kernel launches.
// Runs only for CUDA parameters whose momentum buffers already exist (the first step, which
// starts the buffers, takes the loop); returns false when it did not run.
bool sgd_foreach_(const cnt_tensor* params, const cnt_tensor* momentum_buffers, const bool* fresh_buffers, int32_t n,
                  double lr, double momentum, double dampening, double weight_decay, bool nesterov, bool maximize) {
  std::vector<at::Tensor> ps, gs, bufs;
  for (int32_t i = 0; i < n; ++i) {
    const at::Tensor& param = T(params[i]);
    if (!param.is_cuda()) return false;
    const at::Tensor& g = param.grad();
    if (!g.defined()) continue;
    if (g.is_sparse() || g.device() != param.device()) return false;
    if (momentum != 0) {
      if (fresh_buffers != nullptr && fresh_buffers[i]) return false;
      bufs.push_back(state_at(momentum_buffers, i, "momentum_buffer"));
    }
    ps.push_back(param);
    gs.push_back(g);
  }
  if (ps.empty()) return true;
  std::vector<at::Tensor> d_p = maximize ? at::_foreach_neg(gs) : gs;
  if (weight_decay != 0) d_p = at::_foreach_add(d_p, ps, weight_decay);
  if (momentum != 0) {
    at::_foreach_mul_(bufs, momentum);
    at::_foreach_add_(bufs, d_p, 1 - dampening);
    d_p = nesterov ? at::_foreach_add(d_p, bufs, momentum) : bufs;
  }
  at::_foreach_add_(ps, d_p, -lr);
  return true;
}

}  // namespace

extern "C" {

int32_t cnt_optim_has_grad(const cnt_tensor* params, int32_t n, bool* out) {
  return cnt::status_result([&] {
    check_count(n);
    for (int32_t i = 0; i < n; ++i) out[i] = T(params[i]).grad().defined();
  });
}

int32_t cnt_optim_zero_grad(const cnt_tensor* params, int32_t n, bool set_to_none) {
  return cnt::status_result([&] {
    check_count(n);
    for (int32_t i = 0; i < n; ++i) {
      at::Tensor& grad = T(params[i]).mutable_grad();
      if (!grad.defined()) continue;
      if (set_to_none) {
        grad = at::Tensor();
        continue;
      }
      // As Optimizer.zero_grad: cut the gradient out of any graph, then zero it in place.
      if (grad.grad_fn() != nullptr) grad.detach_();
      else grad.requires_grad_(false);
      grad.zero_();
    }
  });
}

int32_t cnt_optim_sgd_step_(const cnt_tensor* params, const cnt_tensor* momentum_buffers, const bool* fresh_buffers,
                            int32_t n, double lr, double momentum, double dampening, double weight_decay,
                            bool nesterov, bool maximize) {
  return cnt::status_result([&] {
    check_count(n);
    at::NoGradGuard no_grad;
    if (sgd_foreach_(params, momentum_buffers, fresh_buffers, n, lr, momentum, dampening, weight_decay, nesterov, maximize))
      return;
    for (int32_t i = 0; i < n; ++i) {
      at::Tensor& param = T(params[i]);
      const at::Tensor& g = param.grad();
      if (!g.defined()) continue;
      at::Tensor d_p = maximize ? at::neg(g) : g;
      if (weight_decay != 0) d_p = d_p.add(param, weight_decay);
      if (momentum != 0) {
        at::Tensor& buf = state_at(momentum_buffers, i, "momentum_buffer");
        // PyTorch starts the buffer as a copy of the first (decayed) gradient.
        if (fresh_buffers != nullptr && fresh_buffers[i]) buf.copy_(d_p);
        else buf.mul_(momentum).add_(d_p, 1 - dampening);
        d_p = nesterov ? d_p.add(buf, momentum) : buf;
      }
      param.add_(d_p, -lr);
    }
  });
}

int32_t cnt_optim_adam_step_(const cnt_tensor* params, const cnt_tensor* exp_avgs, const cnt_tensor* exp_avg_sqs,
                             const cnt_tensor* max_exp_avg_sqs, const cnt_tensor* steps, int32_t n, double lr,
                             double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize) {
  return cnt::status_result([&] {
    adam_step(params, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, n, lr, beta1, beta2, eps, weight_decay, amsgrad,
              maximize, /*decoupled=*/false);
  });
}

int32_t cnt_optim_adamw_step_(const cnt_tensor* params, const cnt_tensor* exp_avgs, const cnt_tensor* exp_avg_sqs,
                              const cnt_tensor* max_exp_avg_sqs, const cnt_tensor* steps, int32_t n, double lr,
                              double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize) {
  return cnt::status_result([&] {
    adam_step(params, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, n, lr, beta1, beta2, eps, weight_decay, amsgrad,
              maximize, /*decoupled=*/true);
  });
}

int32_t cnt_optim_rmsprop_step_(const cnt_tensor* params, const cnt_tensor* square_avgs, const cnt_tensor* grad_avgs,
                                const cnt_tensor* momentum_buffers, const cnt_tensor* steps, int32_t n, double lr,
                                double alpha, double eps, double weight_decay, double momentum, bool centered,
                                bool maximize) {
  return cnt::status_result([&] {
    check_count(n);
    at::NoGradGuard no_grad;
    for (int32_t i = 0; i < n; ++i) {
      at::Tensor& param = T(params[i]);
      const at::Tensor& g = param.grad();
      if (!g.defined()) continue;
      at::Tensor grad = maximize ? at::neg(g) : g;
      at::Tensor& square_avg = state_at(square_avgs, i, "square_avg");
      if (steps != nullptr) T(steps[i]).add_(1);
      if (weight_decay != 0) grad = grad.add(param, weight_decay);

      square_avg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
      at::Tensor avg;
      if (centered) {
        at::Tensor& grad_avg = state_at(grad_avgs, i, "grad_avg");
        grad_avg.mul_(alpha).add_(grad, 1 - alpha);
        avg = square_avg.addcmul(grad_avg, grad_avg, -1).sqrt_();
      } else {
        avg = square_avg.sqrt();
      }
      avg = avg.add_(eps);

      if (momentum > 0) {
        at::Tensor& buf = state_at(momentum_buffers, i, "momentum_buffer");
        buf.mul_(momentum).addcdiv_(grad, avg);
        param.add_(buf, -lr);
      } else {
        param.addcdiv_(grad, avg, -lr);
      }
    }
  });
}

}  // extern "C"
