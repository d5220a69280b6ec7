namespace CnnCourse.Torch;

// The function forms of reductions, sorting and products (torch.max(x, 1), torch.topk(x, 5), …).
public static partial class torch
{
    public static Tensor max(Tensor input) => input.max();
    public static (Tensor values, Tensor indices) max(Tensor input, long dim, bool keepdim = false) => input.max(dim, keepdim);
    public static Tensor max(Tensor input, Tensor other) => input.maximum(other);
    public static Tensor min(Tensor input) => input.min();
    public static (Tensor values, Tensor indices) min(Tensor input, long dim, bool keepdim = false) => input.min(dim, keepdim);
    public static Tensor min(Tensor input, Tensor other) => input.minimum(other);
    public static Tensor argmax(Tensor input) => input.argmax();
    public static Tensor argmax(Tensor input, long dim, bool keepdim = false) => input.argmax(dim, keepdim);
    public static Tensor argmin(Tensor input) => input.argmin();
    public static Tensor argmin(Tensor input, long dim, bool keepdim = false) => input.argmin(dim, keepdim);
    public static Tensor std(Tensor input, bool unbiased = true) => input.std(unbiased);
    public static Tensor std(Tensor input, long[] dim, bool unbiased = true, bool keepdim = false) => input.std(dim, unbiased, keepdim);
    public static Tensor std(Tensor input, long[]? dim, long correction, bool keepdim = false) => input.std(dim, correction, keepdim);
    public static Tensor var(Tensor input, bool unbiased = true) => input.var(unbiased);
    public static Tensor var(Tensor input, long[] dim, bool unbiased = true, bool keepdim = false) => input.var(dim, unbiased, keepdim);
    public static Tensor var(Tensor input, long[]? dim, long correction, bool keepdim = false) => input.var(dim, correction, keepdim);
    public static Tensor prod(Tensor input, ScalarType? dtype = null) => input.prod(dtype);
    public static Tensor prod(Tensor input, long dim, bool keepdim = false, ScalarType? dtype = null) => input.prod(dim, keepdim, dtype);
    public static Tensor cumsum(Tensor input, long dim, ScalarType? dtype = null) => input.cumsum(dim, dtype);
    public static Tensor norm(Tensor input, double p = 2) => input.norm(p);
    public static Tensor norm(Tensor input, long[] dim, bool keepdim = false, double p = 2) => input.norm(dim, keepdim, p);
    public static Tensor all(Tensor input) => input.all();
    public static Tensor all(Tensor input, long dim, bool keepdim = false) => input.all(dim, keepdim);
    public static Tensor any(Tensor input) => input.any();
    public static Tensor any(Tensor input, long dim, bool keepdim = false) => input.any(dim, keepdim);
    public static (Tensor values, Tensor indices) topk(Tensor input, long k, long dim = -1, bool largest = true, bool sorted = true) =>
        input.topk(k, dim, largest, sorted);
    public static (Tensor values, Tensor indices) sort(Tensor input, long dim = -1, bool descending = false, bool stable = false) =>
        input.sort(dim, descending, stable);
    public static Tensor argsort(Tensor input, long dim = -1, bool descending = false, bool stable = false) => input.argsort(dim, descending, stable);
    public static Tensor mm(Tensor input, Tensor mat2) => input.mm(mat2);
    public static Tensor bmm(Tensor input, Tensor mat2) => input.bmm(mat2);
    public static Tensor matmul(Tensor input, Tensor other) => input.matmul(other);
}
