using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Joining and the function forms of the shape operations: torch.cat, torch.stack, torch.flatten, …
public static partial class torch
{
    // memory formats, as in PyTorch: x.to(torch.channels_last), x.is_contiguous(torch.channels_last)
    public const MemoryFormat contiguous_format = MemoryFormat.Contiguous;
    public const MemoryFormat channels_last = MemoryFormat.ChannelsLast;
    public const MemoryFormat preserve_format = MemoryFormat.Preserve;

    /// <summary>
    /// Concatenates tensors along an existing dimension; all other sizes must match.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list or one of its tensors is null.</exception>
    /// <exception cref="TorchException">Sizes differ outside <paramref name="dim"/> (Kind Runtime), the list is empty, or <paramref name="dim"/> is out of range (Kind Index).</exception>
    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var handles = Handles(tensors);
        return Check.Result(NativeMethods.cnt_cat(handles.Pointers, handles.Length, dim));
    }

    /// <summary>torch.cat under its other name.</summary>
    public static Tensor concat(IReadOnlyList<Tensor> tensors, long dim = 0) => cat(tensors, dim);

    /// <summary>Joins tensors of equal shape along a new dimension <paramref name="dim"/>.</summary>
    /// <exception cref="ArgumentNullException">The list or one of its tensors is null.</exception>
    /// <exception cref="TorchException">The shapes differ, or the list is empty.</exception>
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var handles = Handles(tensors);
        return Check.Result(NativeMethods.cnt_stack(handles.Pointers, handles.Length, dim));
    }

    public static Tensor flatten(Tensor input, long start_dim = 0, long end_dim = -1) => input.flatten(start_dim, end_dim);
    public static Tensor reshape(Tensor input, params long[] shape) => input.reshape(shape);
    public static Tensor permute(Tensor input, params long[] dims) => input.permute(dims);
    public static Tensor flip(Tensor input, params long[] dims) => input.flip(dims);
    public static Tensor transpose(Tensor input, long dim0, long dim1) => input.transpose(dim0, dim1);
    public static Tensor t(Tensor input) => input.t();
    public static Tensor squeeze(Tensor input, long? dim = null) => input.squeeze(dim);
    public static Tensor unsqueeze(Tensor input, long dim) => input.unsqueeze(dim);
    public static Tensor[] split(Tensor input, long split_size, long dim = 0) => input.split(split_size, dim);
    public static Tensor[] split(Tensor input, long[] split_sizes, long dim = 0) => input.split(split_sizes, dim);
    public static Tensor[] chunk(Tensor input, long chunks, long dim = 0) => input.chunk(chunks, dim);
    public static Tensor[] unbind(Tensor input, long dim = 0) => input.unbind(dim);

    // Borrows the tensors' native pointers for one call; a null list or entry is an argument error.
    private static HandleArray Handles(IReadOnlyList<Tensor> tensors, [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        ArgumentNullException.ThrowIfNull(tensors);
        for (int i = 0; i < tensors.Count; i++)
            if (tensors[i] is null) throw new ArgumentNullException(nameof(tensors), $"{operation}: tensor {i} of the list is null");
        return new HandleArray(tensors);
    }
}
