using System.Globalization;
using CnnCourse.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

/// <summary>Builds a normalization layer for a channel count (BatchNorm2d by default); injectable per family.</summary>
public delegate nn.Module<Tensor, Tensor> NormLayer(long channels);

/// <summary>Builds an activation layer.</summary>
public delegate nn.Module<Tensor, Tensor> ActivationLayer();

/// <summary>Layer builders shared by the families.</summary>
public static class Blocks
{
    public static readonly NormLayer BatchNorm = channels => nn.BatchNorm2d(channels);

    public static NormLayer BatchNormWith(double eps, double momentum = 0.1) => channels => nn.BatchNorm2d(channels, eps: eps, momentum: momentum);

    public static readonly ActivationLayer ReLU = () => nn.ReLU(inplace: true);
    public static readonly ActivationLayer ReLU6 = () => nn.ReLU6(inplace: true);
    public static readonly ActivationLayer SiLU = () => nn.SiLU(inplace: true);
    public static readonly ActivationLayer Hardswish = () => nn.Hardswish(inplace: true);

    /// <summary>3×3 convolution with padding = dilation and no bias (a norm layer follows), as torchvision's conv3x3.</summary>
    public static Conv2d conv3x3(long inPlanes, long outPlanes, long stride = 1, long groups = 1, long dilation = 1) =>
        nn.Conv2d(inPlanes, outPlanes, 3, stride: stride, padding: dilation, dilation: dilation, groups: groups, bias: false);

    /// <summary>1×1 convolution without bias, as torchvision's conv1x1.</summary>
    public static Conv2d conv1x1(long inPlanes, long outPlanes, long stride = 1) =>
        nn.Conv2d(inPlanes, outPlanes, 1, stride: stride, bias: false);

    /// <summary>
    /// torchvision's usual initialisation (VGG, MobileNet, EfficientNet): convolutions Kaiming-normal
    /// with fan_out and zero bias, batch norms weight 1 and bias 0, and linear layers by the family's
    /// own rule <paramref name="initLinear"/>.
    /// </summary>
    public static void InitializeWeights(nn.Module model, Action<Linear> initLinear)
    {
        foreach (var m in model.modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
                case Linear linear:
                    initLinear(linear);
                    break;
            }
        }
    }

    /// <summary>Linear layers drawn from N(0, 0.01²) with zero bias (VGG, MobileNet v2 and v3).</summary>
    public static void SmallNormalLinear(Linear linear)
    {
        nn.init.normal_(linear.weight, 0, 0.01);
        if (linear.bias is not null) nn.init.zeros_(linear.bias);
    }

    /// <summary>
    /// Checks that <paramref name="x"/> is an N × C × size × size batch, for a model whose flatten has a fixed width
    /// (SimpleCNN, AlexNetPractice); the error names the model, the size it expects and why, and the shape that came.
    /// </summary>
    internal static void ExpectImages(Tensor x, long channels, long size, string model, long flattenFeatures)
    {
        if (x.dim() == 4 && x.shape[1] == channels && x.shape[2] == size && x.shape[3] == size) return;
        Check.That(false, nameof(x), model, string.Create(CultureInfo.InvariantCulture,
            $"expected N × {channels} × {size} × {size} images (its classifier takes a flatten of {flattenFeatures:N0} features, " +
            $"the count {size} × {size} images give); got [{string.Join(", ", x.shape)}]."));
    }

    /// <summary>
    /// Convolution → normalization → activation, as torchvision's Conv2dNormActivation: a Sequential
    /// whose children are "0", "1", "2"; the convolution has a bias only when there is no norm layer,
    /// and "same"-style padding (k−1)/2·dilation.
    /// </summary>
    public static Sequential ConvNormActivation(long inChannels, long outChannels, long kernelSize = 3, long stride = 1,
                                                long groups = 1, NormLayer? norm = null, ActivationLayer? activation = null,
                                                long dilation = 1, bool useNorm = true, bool useActivation = true)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: (kernelSize - 1) / 2 * dilation,
                      dilation: dilation, groups: groups, bias: !useNorm),
        };
        if (useNorm) layers.Add((norm ?? BatchNorm)(outChannels));
        if (useActivation) layers.Add((activation ?? ReLU)());
        return nn.Sequential(layers);
    }
}

/// <summary>
/// Squeeze-and-Excitation (Hu et al., 2018): global average pool → 1×1 conv down → activation →
/// 1×1 conv up → gate (sigmoid; hard sigmoid in MobileNet v3), then rescale the channels.
/// Keys as torchvision's: fc1, fc2.
/// </summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly nn.Module<Tensor, Tensor> activation;
    private readonly nn.Module<Tensor, Tensor> scale_activation;

    public SqueezeExcitation(long inputChannels, long squeezeChannels, ActivationLayer? activation = null, ActivationLayer? scaleActivation = null)
        : base(nameof(SqueezeExcitation))
    {
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(inputChannels, squeezeChannels, 1);
        fc2 = nn.Conv2d(squeezeChannels, inputChannels, 1);
        this.activation = (activation ?? Blocks.ReLU)();
        scale_activation = scaleActivation?.Invoke() ?? nn.Sigmoid();
        RegisterComponents();
    }

    /// <summary>The per-channel weights in (0, 1) for <paramref name="input"/> (N × C × 1 × 1).</summary>
    public Tensor ChannelWeights(Tensor input)
    {
        var scale = avgpool.call(input);
        scale = activation.call(fc1.call(scale));
        return scale_activation.call(fc2.call(scale));
    }

    public override Tensor forward(Tensor input) => input * ChannelWeights(input);
}

/// <summary>
/// Stochastic depth (Huang et al., 2016): in training, drops a residual branch per sample ("row") or
/// for the whole batch ("batch") with probability p, scaling survivors by 1/(1−p). Identity in eval.
/// </summary>
public sealed class StochasticDepth : nn.Module<Tensor, Tensor>
{
    public StochasticDepth(double p, string mode = "row") : base(nameof(StochasticDepth))
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "drop probability must be in [0, 1]");
        if (mode is not ("row" or "batch")) throw new ArgumentException($"mode must be 'row' or 'batch', got '{mode}'", nameof(mode));
        P = p;
        Mode = mode;
        RegisterComponents();
    }

    public double P { get; }
    public string Mode { get; }

    public override Tensor forward(Tensor input)
    {
        // A new handle on the same data, as TorchSharp's Identity returns: disposing the output must not dispose the input.
        if (!training || P == 0) return input.alias();
        double survival = 1 - P;
        // One draw per sample ("row": N × 1 × 1 × 1) or one for the batch.
        var size = Enumerable.Repeat(1L, (int)input.dim()).ToArray();
        if (Mode == "row") size[0] = input.size(0);
        var keep = rand(size, dtype: input.dtype, device: input.device).lt(survival).to(input.dtype);
        if (survival > 0) keep = keep.div(survival);
        return input * keep;
    }
}
