// Backward passes and gradients.
#include "common.h"

using cnt::T;

extern "C" {

int32_t cnt_backward(cnt_tensor t, cnt_tensor grad, int32_t retain_graph, bool create_graph) {
  return cnt::status_result([&] {
    c10::optional<bool> retain = retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0);
    T(t).backward(grad != nullptr ? T(grad) : at::Tensor(), retain, create_graph);
  });
}

int32_t cnt_tensor_grad(cnt_tensor t, cnt_tensor* out) {
  return cnt::status_result([&] {
    const at::Tensor& grad = T(t).grad();
    *out = grad.defined() ? cnt::wrap(grad) : nullptr;
  });
}

int32_t cnt_tensor_set_grad(cnt_tensor t, cnt_tensor grad) {
  return cnt::status_result([&] { T(t).mutable_grad() = grad != nullptr ? T(grad) : at::Tensor(); });
}

int32_t cnt_autograd_grad(const cnt_tensor* outputs, int32_t n_outputs, const cnt_tensor* inputs, int32_t n_inputs,
                          const cnt_tensor* grad_outputs, int32_t retain_graph, bool create_graph, bool allow_unused,
                          cnt_tensor* out) {
  return cnt::status_result([&] {
    auto outs = cnt::tensors(outputs, n_outputs);
    auto ins = cnt::tensors(inputs, n_inputs);
    std::vector<at::Tensor> grads;
    if (grad_outputs != nullptr)
      for (int32_t i = 0; i < n_outputs; ++i)
        grads.push_back(grad_outputs[i] != nullptr ? T(grad_outputs[i]) : at::Tensor());
    c10::optional<bool> retain = retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0);
    auto results = torch::autograd::grad(outs, ins, grads, retain, create_graph, allow_unused);
    for (int32_t i = 0; i < n_inputs; ++i) out[i] = results[i].defined() ? cnt::wrap(results[i]) : nullptr;
  });
}

}  // extern "C"
