using CnnCourse.Torch.Native;

namespace CnnCourse.Torch.Modules;

/// <summary>
/// A tensor that is a module's trainable state: a leaf that requires grad (unless told otherwise),
/// discovered by <see cref="Module"/> when held in a field or registered with
/// <see cref="Module.register_parameter"/>. It shares storage with the tensor it was made from,
/// as in PyTorch. A parameter belongs to its module, never to a dispose scope: it lives until it
/// (or its module) is disposed.
/// </summary>
public class Parameter : Tensor
{
    /// <summary>A parameter sharing <paramref name="data"/>'s storage (data itself is left as it is).</summary>
    public Parameter(Tensor data, bool requires_grad = true) : base(LeafHandle(data))
    {
        // The Tensor constructor put us in the current dispose scope; a module owns us instead.
        OwningScope = null;
        if (!requires_grad) return;
        try
        {
            this.requires_grad = true;
        }
        catch (TorchException e)
        {
            Dispose();
            throw new TorchException(nameof(Parameter), e.Kind, e.NativeMessage);
        }
    }

    private static TensorHandle LeafHandle(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var handle = NativeMethods.cnt_detach(data.Handle);
        if (handle.IsInvalid) throw Check.LastError(nameof(Parameter));
        return handle;
    }

    /// <summary>
    /// A parameter made from a temporary tensor that nobody else uses: the temporary is disposed
    /// (library layers write <c>Parameter.From(torch.empty(...))</c> without leaking it).
    /// </summary>
    internal static Parameter From(Tensor temporary, bool requires_grad = true)
    {
        try { return new Parameter(temporary, requires_grad); }
        finally { temporary.Dispose(); }
    }

    public override string ToString() => "Parameter containing:\n" + base.ToString();
}
