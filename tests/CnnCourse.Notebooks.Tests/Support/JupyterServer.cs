using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// Debian's Jupyter Notebook server (the classic notebook, package jupyter-notebook) serving a
/// <see cref="JupyterWorkspace"/>: on 127.0.0.1 only, on a free port, behind a random token, with no
/// browser of its own. <see cref="DisposeAsync"/> shuts it down through its API, then kills its
/// process group and every process below it (its kernels run in sessions of their own).
/// </summary>
internal sealed class JupyterServer : IAsyncDisposable
{
    private readonly ChildProcess process;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private JupyterServer(ChildProcess process, int port, string token)
    {
        this.process = process;
        Port = port;
        Token = token;
    }

    public int Port { get; }

    public string Token { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>The notebook's page in the classic UI (<paramref name="relativePath"/> from the workspace's work/).</summary>
    public Uri NotebookPage(string relativePath) => new(BaseUri, $"notebooks/{relativePath}?token={Token}");

    public ChildProcess Process => this.process;

    public static async Task<JupyterServer> StartAsync(JupyterWorkspace workspace, TimeSpan startTimeout)
    {
        int port = FreePort();
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var process = ChildProcess.Start(DebianPackage.JupyterNotebook.File!,
            [
                "--no-browser", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0",
                $"--NotebookApp.token={token}", $"--notebook-dir={workspace.Work}",
                "--allow-root", // allowed, not required: CI containers run as root
            ],
            workspace.Work, workspace.Environment);
        var server = new JupyterServer(process, port, token);
        try
        {
            await server.WaitUntilServingAsync(startTimeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (this.process.HasExited)
                Assert.Fail($"the Jupyter server exited ({this.process.ExitCode}) before it served:\n{this.process.Tail()}");
            try
            {
                using var response = await this.http.GetAsync(new Uri(BaseUri, $"api/status?token={Token}"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"the Jupyter server did not answer on port {Port} within {timeout.TotalSeconds:0} s:\n{this.process.Tail()}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>Whether anything accepts connections on the server's port.</summary>
    public bool PortAcceptsConnections()
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var tree = this.process.Tree(); // the kernels too, while they are still the server's children
        if (!this.process.HasExited)
        {
            // The server's own shutdown stops its kernels first; the kill below is for a server that hangs.
            try
            {
                using var response = await this.http.PostAsync(new Uri(BaseUri, $"api/shutdown?token={Token}"), null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // It is killed below.
            }
            await this.process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }
        this.process.Stop(grace: TimeSpan.FromSeconds(5));
        ChildProcess.Kill(tree);
        this.process.Dispose();
        this.http.Dispose();
    }

    /// <summary>A port nothing listens on now (the server is told not to try others, so a race fails loudly).</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
