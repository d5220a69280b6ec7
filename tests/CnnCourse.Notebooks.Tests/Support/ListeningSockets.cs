using System.Globalization;
using System.Net;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// The TCP sockets a process tree listens on, from Linux's /proc: each process's socket inodes
/// (<c>/proc/PID/fd</c>) matched with the LISTEN rows of <c>/proc/net/tcp</c> and <c>tcp6</c>.
/// </summary>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPEndPoint> Of(int rootProcessId)
    {
        var inodes = ProcessTree(rootProcessId).SelectMany(SocketInodes).ToHashSet();
        return Table("/proc/net/tcp").Concat(Table("/proc/net/tcp6"))
            .Where(row => inodes.Contains(row.Inode))
            .Select(row => row.EndPoint)
            .ToList();
    }

    /// <summary>The process and every descendant (by the PPid line of /proc/PID/status).</summary>
    public static IReadOnlyList<int> ProcessTree(int rootProcessId)
    {
        var parents = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string? ppid = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
                if (ppid is not null) parents[pid] = int.Parse(ppid[5..].Trim(), CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // It exited meanwhile.
            }
        }
        var tree = new List<int> { rootProcessId };
        for (int i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    private static IEnumerable<string> SocketInodes(int pid)
    {
        string[] fds;
        try
        {
            fds = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var inodes = new List<string>();
        foreach (string fd in fds)
        {
            try
            {
                // A socket's link reads "socket:[12345]".
                if (new FileInfo(fd).LinkTarget is string target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target[8..^1]);
            }
            catch (IOException)
            {
                // Closed meanwhile.
            }
        }
        return inodes;
    }

    /// <summary>LISTEN rows: "sl local_address rem_address st ... inode", addresses as hex (little-endian words).</summary>
    private static IEnumerable<(IPEndPoint EndPoint, string Inode)> Table(string path)
    {
        if (!File.Exists(path)) yield break;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != Listen) continue;
            string[] local = fields[1].Split(':');
            yield return (new IPEndPoint(Address(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)), fields[9]);
        }
    }

    private static IPAddress Address(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        // The kernel prints each 32-bit word in host (little-endian) order.
        for (int word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
        return new IPAddress(bytes);
    }
}
