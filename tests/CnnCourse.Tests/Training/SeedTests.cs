using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

public class CourseRandomTests
{
    [Fact]
    public void Same_seed_same_sequence_and_reseeding_restarts_it()
    {
        var a = new CourseRandom(42);
        var b = new CourseRandom(42);
        var first = Enumerable.Range(0, 20).Select(_ => a.Next(1000)).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 20).Select(_ => b.Next(1000)).ToArray());
        a.Reseed(42);
        Assert.Equal(first, Enumerable.Range(0, 20).Select(_ => a.Next(1000)).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 20).Select(_ => new CourseRandom(43).Next(1000)).ToArray());
    }

    [Fact]
    public void A_saved_state_continues_exactly()
    {
        var r = new CourseRandom(7);
        for (int i = 0; i < 5; i++) r.NextDouble();
        string state = r.SaveState();
        var expected = new[] { r.NextDouble(), r.Next(), r.NextInt64(-5, 5) };
        var other = new CourseRandom(999);
        other.LoadState(state);
        Assert.Equal(expected, new[] { other.NextDouble(), other.Next(), other.NextInt64(-5, 5) });
        Assert.StartsWith("xoshiro256**:", state);
        Assert.Throws<ArgumentException>(() => other.LoadState("xoshiro256**:1,2,3"));
        Assert.Throws<ArgumentException>(() => other.LoadState("xoshiro256**:0,0,0,0"));
    }

    [Fact]
    public void Shuffle_draws_from_the_saveable_state()
    {
        var r = new CourseRandom(3);
        string state = r.SaveState();
        var a = Enumerable.Range(0, 50).ToArray();
        r.Shuffle(a);
        r.LoadState(state);
        var b = Enumerable.Range(0, 50).ToArray();
        r.Shuffle(b);
        Assert.Equal(a, b);
        Assert.NotEqual(Enumerable.Range(0, 50), a);
    }

    [Fact]
    public void Values_stay_in_their_ranges()
    {
        var r = new CourseRandom(1);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.InRange(r.Next(3), 0, 2);
            Assert.InRange(r.Next(-2, 2), -2, 1);
            Assert.InRange(r.NextDouble(), 0.0, 0.9999999999999999);
            Assert.InRange(r.NextSingle(), 0f, 0.99999994f);
            Assert.InRange(r.NextInt64(long.MinValue, long.MaxValue), long.MinValue, long.MaxValue - 1);
        }
        Assert.Equal(0, r.Next(0));
        Assert.Equal(5, r.Next(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Next(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Next(2, 1));
    }

    [Fact]
    public void Draws_are_roughly_uniform()
    {
        var r = new CourseRandom(11);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[r.Next(10)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}

[Collection(TrainingSerial.Name)]
public class SeedTests
{
    [Fact]
    public void Everything_seeds_torch_and_the_course_random_and_records_the_seed()
    {
        Assert.Equal(123, Seed.Everything(123));
        Assert.Equal(123, Seed.Current);
        float[] a;
        using (var t = torch.rand(5)) a = t.data<float>().ToArray();
        int n = Seed.Random.Next();
        Seed.Everything(123);
        using (var t = torch.rand(5)) Assert.Equal(a, t.data<float>().ToArray());
        Assert.Equal(n, Seed.Random.Next());
    }

    [Fact]
    public void Everything_without_a_seed_picks_and_records_one()
    {
        long seed = Seed.Everything();
        Assert.Equal(seed, Seed.Current);
        Assert.InRange(seed, 0, int.MaxValue);
    }

    [Fact]
    public void The_course_random_is_one_instance_reseeded_in_place()
    {
        var held = Seed.Random;
        Seed.Everything(5);
        int first = held.Next();
        Seed.Everything(5);
        Assert.Same(held, Seed.Random);
        Assert.Equal(first, held.Next());
    }
}
