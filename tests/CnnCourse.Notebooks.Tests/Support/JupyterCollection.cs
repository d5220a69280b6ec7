namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// The tests that run Jupyter's own tools (a server and a browser, nbclient, jupyter_client): one at
/// a time, and none beside another test collection, as each starts kernels of its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JupyterCollection
{
    public const string Name = "Jupyter";
}
