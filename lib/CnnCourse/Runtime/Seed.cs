using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using TorchSharp;

namespace CnnCourse.Runtime;

/// <summary>
/// One seeding call for a whole run: <see cref="Everything(long)"/> seeds libtorch's generators
/// (weight initialisation, dropout, random augmentation on tensors) and <see cref="Random"/>, the
/// course-wide .NET generator the library draws the data order from (shuffling loaders, random
/// splits). It sits below Data and Training, which both use it. Lessons call it once at the top:
/// <code>
/// Seed.Everything(42);
/// </code>
/// The seed is recorded in <see cref="Current"/> and in every checkpoint; a full checkpoint also
/// saves both generators' states, so a resumed run continues the same random sequence.
/// </summary>
public static class Seed
{
    /// <summary>
    /// The course-wide .NET generator for data order. It is one instance for the whole process
    /// (re-seeded in place, so loaders may keep a reference to it); its state can be saved and
    /// restored (<see cref="CourseRandom.SaveState"/>). Not thread-safe, like <see cref="System.Random"/>.
    /// </summary>
    public static CourseRandom Random { get; } = new(FreshSeed());

    /// <summary>The seed of the last <see cref="Everything(long)"/> call; null when none was made.</summary>
    public static long? Current { get; private set; }

    /// <summary>Seeds torch (CPU and CUDA) and <see cref="Random"/> with <paramref name="seed"/>; returns it.</summary>
    public static long Everything(long seed)
    {
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
        Random.Reseed(seed);
        Current = seed;
        return seed;
    }

    /// <summary>
    /// Seeds everything with a fresh random seed and returns it (print it: passing it to
    /// <see cref="Everything(long)"/> later repeats the run).
    /// </summary>
    public static long Everything() => Everything(FreshSeed());

    internal static void Restore(long? seed) => Current = seed;

    private static long FreshSeed() => RandomNumberGenerator.GetInt32(int.MaxValue);
}

/// <summary>
/// The course's one random generator: a <see cref="System.Random"/> whose sequence is fixed by this
/// code alone (xoshiro256**, seeded through SplitMix64), so splits, shuffles and augmentation repeat
/// on every .NET version and machine, and whose state can be saved and restored exactly, so that a
/// checkpoint can record where the data order is. Every
/// virtual member of Random is overridden, so <c>Shuffle</c>, <c>GetItems</c> and friends draw
/// from it too.
/// </summary>
public sealed class CourseRandom : Random
{
    private ulong s0, s1, s2, s3;

    public CourseRandom(long seed) : base(0) => Reseed(seed);

    /// <summary>Restarts the sequence of <paramref name="seed"/>, in place.</summary>
    public void Reseed(long seed)
    {
        ulong x = unchecked((ulong)seed);
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    /// <summary>The generator's state as text (<c>xoshiro256**:</c> and four hexadecimal words).</summary>
    public string SaveState() => FormattableString.Invariant($"{StatePrefix}{s0:x16},{s1:x16},{s2:x16},{s3:x16}");

    /// <summary>Restores a state from <see cref="SaveState"/>: the generator continues exactly from there.</summary>
    public void LoadState(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var words = state.StartsWith(StatePrefix, StringComparison.Ordinal) ? state[StatePrefix.Length..].Split(',') : [];
        var values = new ulong[4];
        if (words.Length != 4
            || !words.Select((w, i) => ulong.TryParse(w, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out values[i])).All(ok => ok)
            || values.All(v => v == 0))
            throw new ArgumentException($"'{state}' is not a CourseRandom state (expected \"{StatePrefix}\" and four hexadecimal words, not all zero)",
                nameof(state));
        (s0, s1, s2, s3) = (values[0], values[1], values[2], values[3]);
    }

    private const string StatePrefix = "xoshiro256**:";

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    // Uniform in [0, n) without modulo bias (rejection of the low tail).
    private ulong NextBelow(ulong n)
    {
        if (n <= 1) return 0;
        ulong threshold = (0 - n) % n;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold) return r % n;
        }
    }

    public override int Next()
    {
        while (true)
        {
            int r = (int)(NextUInt64() >> 33);
            if (r != int.MaxValue) return r;
        }
    }

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)NextBelow((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)NextBelow((ulong)((long)maxValue - minValue)));
    }

    public override long NextInt64()
    {
        while (true)
        {
            long r = (long)(NextUInt64() >> 1);
            if (r != long.MaxValue) return r;
        }
    }

    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (long)NextBelow((ulong)maxValue);
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return unchecked(minValue + (long)NextBelow(unchecked((ulong)maxValue - (ulong)minValue)));
    }

    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    protected override double Sample() => NextDouble();

    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i += 8)
        {
            ulong r = NextUInt64();
            for (int j = 0; j < 8 && i + j < buffer.Length; j++) buffer[i + j] = (byte)(r >> (8 * j));
        }
    }
}
