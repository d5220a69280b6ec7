// Losses (cross_entropy, nll_loss, mse_loss) and one_hot.
#include "common.h"

using cnt::opt;
using cnt::T;

namespace {

int64_t reduction(int32_t code) {
  if (code < 0 || code > 2) throw std::invalid_argument("unknown reduction " + std::to_string(code) + " (0 none, 1 mean, 2 sum)");
  return code;  // at::Reduction::None = 0, Mean = 1, Sum = 2
}

}  // namespace

extern "C" {

cnt_tensor cnt_nn_cross_entropy(cnt_tensor input, cnt_tensor target, cnt_tensor weight, int32_t reduction_code,
                                int64_t ignore_index, double label_smoothing) {
  return cnt::tensor_result([&] {
    return at::cross_entropy_loss(T(input), T(target), opt(weight), reduction(reduction_code), ignore_index,
                                  label_smoothing);
  });
}

cnt_tensor cnt_nn_nll_loss(cnt_tensor input, cnt_tensor target, cnt_tensor weight, int32_t reduction_code,
                           int64_t ignore_index) {
  return cnt::tensor_result([&] {
    return at::nll_loss_nd(T(input), T(target), opt(weight), reduction(reduction_code), ignore_index);
  });
}

cnt_tensor cnt_nn_mse_loss(cnt_tensor input, cnt_tensor target, int32_t reduction_code) {
  return cnt::tensor_result([&] { return at::mse_loss(T(input), T(target), reduction(reduction_code)); });
}

cnt_tensor cnt_nn_one_hot(cnt_tensor input, int64_t num_classes) {
  return cnt::tensor_result([&] { return at::one_hot(T(input), num_classes); });
}

}  // extern "C"
