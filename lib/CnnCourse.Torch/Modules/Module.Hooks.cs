namespace CnnCourse.Torch.Modules;

// Forward hooks: functions run by call() around forward().
public abstract partial class Module
{
    private sealed class Hook
    {
        public Func<Module, Tensor, Tensor?>? Pre;
        public Func<Module, Tensor, Tensor, Tensor?>? Post;
    }

    private List<Hook>? preHooks;
    private List<Hook>? forwardHooks;

    /// <summary>
    /// Runs <paramref name="hook"/>(module, input) before every forward; a non-null result replaces
    /// the input. Hooks run in registration order.
    /// </summary>
    public RemovableHandle register_forward_pre_hook(Func<Module, Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return Add(ref preHooks, new Hook { Pre = hook });
    }

    /// <summary>Runs <paramref name="hook"/>(module, input) before every forward.</summary>
    public RemovableHandle register_forward_pre_hook(Action<Module, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return register_forward_pre_hook((m, x) => { hook(m, x); return null; });
    }

    /// <summary>
    /// Runs <paramref name="hook"/>(module, input, output) after every forward; a non-null result
    /// replaces the output. Hooks run in registration order.
    /// </summary>
    public RemovableHandle register_forward_hook(Func<Module, Tensor, Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return Add(ref forwardHooks, new Hook { Post = hook });
    }

    /// <summary>Runs <paramref name="hook"/>(module, input, output) after every forward (to record feature maps).</summary>
    public RemovableHandle register_forward_hook(Action<Module, Tensor, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return register_forward_hook((m, x, y) => { hook(m, x, y); return null; });
    }

    private RemovableHandle Add(ref List<Hook>? list, Hook hook)
    {
        list ??= new List<Hook>();
        list.Add(hook);
        var owner = list;
        return new RemovableHandle(() =>
        {
            owner.Remove(hook);
            if (owner.Count == 0)
            {
                if (ReferenceEquals(preHooks, owner)) preHooks = null;
                if (ReferenceEquals(forwardHooks, owner)) forwardHooks = null;
            }
        });
    }
}

/// <summary>Removes the hook it was returned for (PyTorch's torch.utils.hooks.RemovableHandle).</summary>
public sealed class RemovableHandle : IDisposable
{
    private Action? removal;

    internal RemovableHandle(Action removal) => this.removal = removal;

    /// <summary>Removes the hook; later calls do nothing.</summary>
    public void remove()
    {
        var r = removal;
        removal = null;
        r?.Invoke();
    }

    public void Dispose() => remove();
}
