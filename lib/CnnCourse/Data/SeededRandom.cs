namespace CnnCourse.Data;

/// <summary>
/// A small seeded generator (SplitMix64, Steele et al. 2014) whose sequence is fixed by this code
/// alone, so splits and shuffles repeat on every .NET version and machine. Bounded integers use
/// Lemire's unbiased multiply-and-reject method.
/// </summary>
internal sealed class SeededRandom(long seed)
{
    private ulong state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        uint s = (uint)bound;
        ulong m = (ulong)(uint)(NextUInt64() >> 32) * s;
        uint low = (uint)m;
        if (low < s)
        {
            uint threshold = (uint)(-(int)s) % s;
            while (low < threshold)
            {
                m = (ulong)(uint)(NextUInt64() >> 32) * s;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
