using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Data.Transforms;

/// <summary>
/// A transform of images held as tensors, like torchvision.transforms: it takes one image (C×H×W) or
/// a batch (N×C×H×W) and returns a new tensor of the same layout, leaving its input as it was.
/// Random transforms draw from <paramref name="random"/> (one draw per image of a batch), so a data
/// loader that passes a seeded generator gets the same augmentation on every run, whichever thread
/// applies it.
/// </summary>
public interface ITransform
{
    Tensor Apply(Tensor images, Random random);
}

/// <summary>Convenience calls for transforms.</summary>
public static class TransformExtensions
{
    /// <summary>Applies <paramref name="transform"/> drawing any randomness from <see cref="Seed.Random"/>.</summary>
    public static Tensor Apply(this ITransform transform, Tensor images) => transform.Apply(images, Seed.Random);
}

/// <summary>Transforms applied one after another, like torchvision's <c>Compose</c>.</summary>
public sealed class Compose(params ITransform[] transforms) : ITransform
{
    public IReadOnlyList<ITransform> Transforms { get; } = Validated(transforms);

    public Tensor Apply(Tensor images, Random random)
    {
        Check.NotNull(images, nameof(images), nameof(Compose));
        if (Transforms.Count == 0) return images.alias();
        Tensor current = images;
        foreach (var transform in Transforms)
        {
            var next = transform.Apply(current, random);
            if (!ReferenceEquals(current, images)) current.Dispose(); // intermediates are ours
            current = next;
        }
        return current;
    }

    public override string ToString() => $"Compose({string.Join(", ", Transforms)})";

    private static ITransform[] Validated(ITransform[] transforms) =>
        [.. Check.NoNulls(transforms, nameof(transforms), nameof(Compose))];
}

/// <summary>The layout of an image or batch tensor, checked once per transform call.</summary>
internal readonly record struct ImageLayout(bool Batched, long N, long C, long H, long W)
{
    public static ImageLayout Of(Tensor images, string transform)
    {
        Check.NotNull(images, nameof(images), transform);
        var s = images.shape;
        return s.Length switch
        {
            3 => new(false, 1, s[0], s[1], s[2]),
            4 => new(true, s[0], s[1], s[2], s[3]),
            _ => throw new ArgumentException(
                $"{transform} expects one image C×H×W or a batch N×C×H×W, but got a tensor of shape [{string.Join(", ", s)}].", nameof(images)),
        };
    }

    /// <summary>The dimension index of height (width is the next).</summary>
    public int HeightDim => Batched ? 2 : 1;
}
