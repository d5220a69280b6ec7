using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CnnCourse.Tests.Data;

/// <summary>What the test server does for one path.</summary>
internal abstract record Reply
{
    /// <summary>200 with the whole body.</summary>
    public sealed record Body(byte[] Bytes) : Reply;

    /// <summary>An error status and no body.</summary>
    public sealed record Status(int Code, string Reason) : Reply;

    /// <summary>200 promising <c>Bytes.Length</c> bytes, then only the first <c>Sent</c>, then the connection closes.</summary>
    public sealed record CutOff(byte[] Bytes, int Sent) : Reply;

    /// <summary>200 promising <c>Bytes.Length</c> bytes, the first <c>Sent</c>, then silence until the test ends.</summary>
    public sealed record Stall(byte[] Bytes, int Sent) : Reply;
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for downloader tests: one request
/// per connection, replies chosen per path. Nothing leaves the machine; it stops on Dispose.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, Reply> replies = new(StringComparer.Ordinal);
    private readonly Task loop;

    public LoopbackServer()
    {
        listener.Start();
        loop = Task.Run(AcceptLoop);
    }

    /// <summary>The base URL, ending in '/'.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";

    /// <summary>Requests received, by path.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    public LoopbackServer On(string path, Reply reply)
    {
        lock (replies) replies[path] = reply;
        return this;
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int n = await stream.ReadAsync(buffer, stop.Token);
                if (n == 0) return;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            string path = request.ToString().Split(' ')[1];
            Requests.AddOrUpdate(path, 1, (_, c) => c + 1);
            Reply? reply;
            lock (replies) replies.TryGetValue(path, out reply);
            reply ??= new Reply.Status(404, "Not Found");

            async Task Head(int code, string reason, long length) =>
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {code} {reason}\r\nContent-Length: {length}\r\nContent-Type: " +
                        $"application/octet-stream\r\nConnection: close\r\n\r\n"), stop.Token);

            switch (reply)
            {
                case Reply.Body b:
                    await Head(200, "OK", b.Bytes.Length);
                    await stream.WriteAsync(b.Bytes, stop.Token);
                    break;
                case Reply.Status s:
                    await Head(s.Code, s.Reason, 0);
                    break;
                case Reply.CutOff c:
                    await Head(200, "OK", c.Bytes.Length);
                    await stream.WriteAsync(c.Bytes.AsMemory(0, c.Sent), stop.Token);
                    await stream.FlushAsync(stop.Token);
                    client.Client.Shutdown(SocketShutdown.Both);
                    break;
                case Reply.Stall st:
                    await Head(200, "OK", st.Bytes.Length);
                    await stream.WriteAsync(st.Bytes.AsMemory(0, st.Sent), stop.Token);
                    await stream.FlushAsync(stop.Token);
                    await Task.Delay(Timeout.Infinite, stop.Token);
                    break;
            }
        }
        catch (Exception) when (stop.IsCancellationRequested) { }
        catch (IOException) { }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        stop.Dispose();
    }
}
