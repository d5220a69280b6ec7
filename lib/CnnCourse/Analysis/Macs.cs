using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>
/// A module whose own computation has a multiply-accumulate count that <see cref="Macs"/> does not
/// know (a custom layer computing with functional ops). Count only this module's own work: the
/// MACs of its child modules are counted by their own hooks.
/// </summary>
public interface IMacCountable
{
    /// <summary>
    /// The multiply-accumulates of one forward call from an input of <paramref name="inputShape"/> to an output of <paramref name="outputShape"/>.
    /// </summary>
    long CountMacs(IReadOnlyList<long> inputShape, IReadOnlyList<long> outputShape);
}

/// <summary>
/// Multiply-accumulate counts of one forward call of a layer, from its input and output shapes:
/// the convention of torchvision's published "GFLOPS" figures (which are MACs), so the totals of a
/// <see cref="Summary"/> equal them (resnet50 4.09 G, vgg16 15.47 G, mobilenet_v2 0.30 G).
/// <list type="bullet">
/// <item><b>Conv2d</b>: output elements × in_channels / groups × kH × kW
///   (N·C_out·H_out·W_out · C_in/g · kH·kW); the bias is not counted.</item>
/// <item><b>ConvTranspose2d</b>: input elements × out_channels / groups × kH × kW (every input pixel
///   scatters one kernel into each output channel of its group); no bias.</item>
/// <item><b>Linear</b>: output elements × in_features; no bias.</item>
/// <item>Everything else counts 0: BatchNorm, activations, pooling, dropout, and the additions of
///   residual connections. They are memory-bound, and a few per cent of the total at most (their
///   multiplications are not multiply-accumulates of a matrix product), so torchvision, fvcore and
///   the papers' "mult-adds" leave them out. A module implementing <see cref="IMacCountable"/>
///   gives its own count.</item>
/// </list>
/// Counting the biases as well (as ptflops does) changes the totals by less than 0.1%
/// (vgg16: 15.484 G instead of 15.470 G). One FLOP is one multiplication or one addition, so
/// FLOPs = 2 × MACs for these layers.
/// </summary>
public static class Macs
{
    /// <summary>The MACs of one forward call of <paramref name="module"/> (0 for layers that are not counted; see <see cref="Macs"/>).</summary>
    public static long Of(nn.Module module, IReadOnlyList<long> inputShape, IReadOnlyList<long> outputShape)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(outputShape);
        return module switch
        {
            IMacCountable custom => custom.CountMacs(inputShape, outputShape),
            Conv2d c => checked(Units.Numel(outputShape) * (c.in_channels / c.groups) * Kernel(c)),
            ConvTranspose2d t => checked(Units.Numel(inputShape) * (t.out_channels / t.groups) * Kernel(t)),
            Linear l => checked(Units.Numel(outputShape) * l.in_features),
            _ => 0,
        };
    }

    // kH × kW (TorchSharp keeps a 2-D kernel size as a two-element array).
    private static long Kernel(Convolution c)
    {
        var k = Size2.FromArray(c.kernel_size);
        return checked(k.Height * k.Width);
    }

    /// <summary>Whether <paramref name="module"/> is a layer whose work is counted (conv, transposed conv, linear, or <see cref="IMacCountable"/>).</summary>
    public static bool IsCounted(nn.Module module) => module is IMacCountable or Conv2d or ConvTranspose2d or Linear;
}
