using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// The function forms of selection and masking (torch.index_select, torch.gather, torch.where(cond), …).
public static partial class torch
{
    public static Tensor select(Tensor input, long dim, long index) => input.select(dim, index);
    public static Tensor narrow(Tensor input, long dim, long start, long length) => input.narrow(dim, start, length);
    public static Tensor index_select(Tensor input, long dim, Tensor index) => input.index_select(dim, index);
    public static Tensor masked_select(Tensor input, Tensor mask) => input.masked_select(mask);
    public static Tensor masked_fill(Tensor input, Tensor mask, Scalar value) => input.masked_fill(mask, value);
    public static Tensor gather(Tensor input, long dim, Tensor index) => input.gather(dim, index);
    public static Tensor scatter(Tensor input, long dim, Tensor index, Tensor src) => input.scatter(dim, index, src);
    public static Tensor scatter(Tensor input, long dim, Tensor index, Scalar value) => input.scatter(dim, index, value);
    public static Tensor scatter_add(Tensor input, long dim, Tensor index, Tensor src) => input.scatter_add(dim, index, src);
    public static Tensor nonzero(Tensor input) => input.nonzero();

    /// <summary>
    /// torch.where(condition) with one argument: the coordinates of the true (non-zero) elements,
    /// one int64 tensor per dimension (what NumPy's nonzero returns).
    /// </summary>
    public static Tensor[] where(Tensor condition)
    {
        var h = condition.Handle;
        return NativeResults.List(Math.Max(condition.dim(), 1),
            (IntPtr[] o, int c, out int n) => NativeMethods.cnt_where_cond(h, o, c, out n));
    }
}
