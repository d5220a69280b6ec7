using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>The learned filters of a convolution, to look at as images.</summary>
public static class Filters
{
    /// <summary>
    /// A detached copy of the weight of the convolution at <paramref name="layerName"/> (e.g.
    /// "features.0", "conv1"): (out_channels, in_channels / groups, kH, kW) for Conv2d. It belongs
    /// to the caller's dispose scope.
    /// </summary>
    public static Tensor Of(nn.Module model, string layerName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layerName);
        var layer = FeatureExtractor.Resolve(model, [layerName], nameof(layerName))[0];
        var weight = layer switch
        {
            Conv2d c => c.weight,
            ConvTranspose2d t => t.weight,
            _ => throw new ArgumentException($"Filters.Of: '{layerName}' is a {Summary.Type(layer)}, not a convolution (Conv2d or ConvTranspose2d)",
                nameof(layerName)),
        };
        using var detached = weight.detach();
        return detached.clone(); // made here: it belongs to the caller's dispose scope
    }
}
