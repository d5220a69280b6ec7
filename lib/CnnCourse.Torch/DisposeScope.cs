namespace CnnCourse.Torch;

/// <summary>
/// Frees every tensor created on this thread while it is the innermost scope, when it is disposed,
/// except tensors moved out of it. Scopes nest; they are thread-local, as libtorch's grad mode is.
/// <code>
/// using (var scope = torch.NewDisposeScope())
/// {
///     var loss = criterion(net.forward(x), y);   // temporaries freed at the end
///     return scope.MoveToOuter(loss);            // except this one
/// }
/// </code>
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;
    [ThreadStatic] private static ThreadCounters? counters;

    private readonly List<Tensor> tensors = new();
    private bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>The scope that was current when this one was opened.</summary>
    public DisposeScope? Outer { get; }

    /// <summary>The innermost open scope of this thread, if any.</summary>
    public static DisposeScope? Current => current;

    /// <summary>Tensors created and disposed on this thread since it started (for leak tests).</summary>
    public static ThreadCounters Counters => counters ??= new ThreadCounters();

    /// <summary>How many tensors this scope will free.</summary>
    public int Count => tensors.Count(t => t.OwningScope == this);

    internal static void Register(Tensor tensor)
    {
        Counters.Created++;
        var scope = current;
        if (scope is null) return;
        tensor.OwningScope = scope;
        scope.tensors.Add(tensor);
    }

    internal static void OnDisposed() => Counters.Disposed++;

    /// <summary>Keeps <paramref name="tensor"/> alive past this scope: it joins the outer scope, if any.</summary>
    public T MoveToOuter<T>(T tensor) where T : Tensor
    {
        if (tensor.OwningScope != this) return tensor;
        tensor.OwningScope = Outer;
        Outer?.tensors.Add(tensor);
        return tensor;
    }

    /// <summary>Takes <paramref name="tensor"/> out of every scope: the caller disposes it.</summary>
    public T Detach<T>(T tensor) where T : Tensor
    {
        if (tensor.OwningScope == this) tensor.OwningScope = null;
        return tensor;
    }

    /// <summary>Adds a tensor created elsewhere to this scope, so it is freed with it.</summary>
    public T Include<T>(T tensor) where T : Tensor
    {
        if (tensor.OwningScope == this) return tensor;
        tensor.OwningScope = this;
        tensors.Add(tensor);
        return tensor;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in tensors)
            if (t.OwningScope == this) t.Dispose();
        tensors.Clear();
        // Scopes close in order; a scope disposed out of order still restores its outer one.
        if (current == this) current = Outer;
    }

    public sealed class ThreadCounters
    {
        public long Created { get; internal set; }
        public long Disposed { get; internal set; }
    }
}
