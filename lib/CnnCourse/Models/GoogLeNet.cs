using CnnCourse.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// Going Deeper with Convolutions (Szegedy et al., 2014).

/// <summary>Convolution (no bias) → BatchNorm (eps 0.001) → ReLU; torchvision's keys conv, bn.</summary>
public sealed class BasicConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public BasicConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0) : base(nameof(BasicConv2d))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: false);
        bn = nn.BatchNorm2d(outChannels, eps: 0.001);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = bn.call(conv.call(x));
        return nn.functional.relu(h, inplace: true);
    }
}

/// <summary>Four branches side by side on one input, concatenated along channels: the shared shape of both Inception modules.</summary>
public abstract class InceptionBase : nn.Module<Tensor, Tensor>
{
    protected InceptionBase(string name) : base(name) { }

    /// <summary>Channels of the concatenated output.</summary>
    public long OutChannels { get; protected init; }

    protected abstract IEnumerable<nn.Module<Tensor, Tensor>> Branches { get; }

    public override Tensor forward(Tensor x)
    {
        var outputs = Branches.Select(branch => branch.call(x)).ToList();
        return cat(outputs, 1);
    }
}

/// <summary>
/// The naive Inception module (the paper's Figure 2a): 1×1, 3×3 and 5×5 convolutions and a 3×3
/// max-pool side by side on the same input, concatenated along channels. Every branch sees all input
/// channels, so the cost grows quickly and the pooled branch keeps all of them.
/// </summary>
public sealed class NaiveInception : InceptionBase
{
    private readonly BasicConv2d branch1;
    private readonly BasicConv2d branch2;
    private readonly BasicConv2d branch3;
    private readonly MaxPool2d branch4;

    public NaiveInception(long inChannels, long ch1x1, long ch3x3, long ch5x5) : base(nameof(NaiveInception))
    {
        branch1 = new BasicConv2d(inChannels, ch1x1, 1);
        branch2 = new BasicConv2d(inChannels, ch3x3, 3, padding: 1);
        branch3 = new BasicConv2d(inChannels, ch5x5, 5, padding: 2);
        branch4 = nn.MaxPool2d(3, stride: 1, padding: 1);
        OutChannels = ch1x1 + ch3x3 + ch5x5 + inChannels;
        RegisterComponents();
    }

    protected override IEnumerable<nn.Module<Tensor, Tensor>> Branches => [branch1, branch2, branch3, branch4];
}

/// <summary>
/// The Inception module with dimension reductions (Figure 2b): 1×1 convolutions shrink the channels
/// before the 3×3 and 5×5 convolutions and after the pooling. torchvision's GoogLeNet (and its
/// published weights) use a 3×3 kernel in the "5×5" branch; <c>fiveByFiveKernel: 5</c> gives the paper's.
/// </summary>
public sealed class Inception : InceptionBase
{
    private readonly BasicConv2d branch1;
    private readonly Sequential branch2;
    private readonly Sequential branch3;
    private readonly Sequential branch4;

    public Inception(long inChannels, long ch1x1, long ch3x3red, long ch3x3, long ch5x5red, long ch5x5, long poolProj, long fiveByFiveKernel = 3)
        : base(nameof(Inception))
    {
        if (fiveByFiveKernel is not (3 or 5))
            throw new ArgumentException($"the '5×5' branch's kernel is 3 (torchvision) or 5 (the paper), got {fiveByFiveKernel}", nameof(fiveByFiveKernel));
        branch1 = new BasicConv2d(inChannels, ch1x1, 1);
        branch2 = nn.Sequential(new BasicConv2d(inChannels, ch3x3red, 1), new BasicConv2d(ch3x3red, ch3x3, 3, padding: 1));
        branch3 = nn.Sequential(new BasicConv2d(inChannels, ch5x5red, 1), new BasicConv2d(ch5x5red, ch5x5, fiveByFiveKernel, padding: fiveByFiveKernel / 2));
        branch4 = nn.Sequential(nn.MaxPool2d(3, stride: 1, padding: 1, ceil_mode: true), new BasicConv2d(inChannels, poolProj, 1));
        OutChannels = ch1x1 + ch3x3 + ch5x5 + poolProj;
        RegisterComponents();
    }

    protected override IEnumerable<nn.Module<Tensor, Tensor>> Branches => [branch1, branch2, branch3, branch4];
}

/// <summary>An auxiliary classifier attached to an intermediate stage (used in training only).</summary>
public sealed class InceptionAux : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d conv;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout dropout;
    private readonly long pooled;

    public InceptionAux(long inChannels, long numClasses, double dropout = 0.7, long pooled = 4, long width = 128, long hidden = 1024)
        : base(nameof(InceptionAux))
    {
        conv = new BasicConv2d(inChannels, width, 1);
        fc1 = nn.Linear(width * pooled * pooled, hidden);
        fc2 = nn.Linear(hidden, numClasses);
        this.dropout = nn.Dropout(dropout);
        this.pooled = pooled;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = nn.functional.adaptive_avg_pool2d(x, pooled);   // N × 512 × 4 × 4 (aux1)
        h = conv.call(h).flatten(1);                             // N × 2048
        h = nn.functional.relu(fc1.call(h), inplace: true);
        h = dropout.call(h);
        return fc2.call(h);
    }
}

/// <summary>The outputs of a GoogLeNet forward pass: the logits, and in training the two auxiliary logits.</summary>
public sealed record GoogLeNetOutputs(Tensor Logits, Tensor? Aux2, Tensor? Aux1) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        Aux2?.Dispose();
        Aux1?.Dispose();
    }
}

/// <summary>One row of the paper's Table 1: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.</summary>
public sealed record InceptionRow(string Name, long Ch1x1, long Ch3x3Reduce, long Ch3x3, long Ch5x5Reduce, long Ch5x5, long PoolProj);

/// <summary>
/// GoogLeNet (Inception v1): a stem, nine Inception modules in three groups separated by max-pools,
/// global average pooling, dropout, fc; auxiliary classifiers after inception4a and 4d in training.
/// Small form: a 3×3 stride-1 stem without the first two pools and channel counts divided by
/// <c>widthDivisor</c>, for 28–32 px inputs.
/// </summary>
public sealed class GoogLeNet : nn.Module<Tensor, Tensor>
{
    /// <summary>The paper's Table 1.</summary>
    public static readonly IReadOnlyList<InceptionRow> InceptionTable =
    [
        new("inception3a", 64, 96, 128, 16, 32, 32),
        new("inception3b", 128, 128, 192, 32, 96, 64),
        new("inception4a", 192, 96, 208, 16, 48, 64),
        new("inception4b", 160, 112, 224, 24, 64, 64),
        new("inception4c", 128, 128, 256, 24, 64, 64),
        new("inception4d", 112, 144, 288, 32, 64, 64),
        new("inception4e", 256, 160, 320, 32, 128, 128),
        new("inception5a", 256, 160, 320, 32, 128, 128),
        new("inception5b", 384, 192, 384, 48, 128, 128),
    ];

    private readonly BasicConv2d conv1;
    private readonly nn.Module<Tensor, Tensor> maxpool1;
    private readonly BasicConv2d conv2;
    private readonly BasicConv2d conv3;
    private readonly nn.Module<Tensor, Tensor> maxpool2;
    private readonly Inception inception3a;
    private readonly Inception inception3b;
    private readonly MaxPool2d maxpool3;
    private readonly Inception inception4a;
    private readonly Inception inception4b;
    private readonly Inception inception4c;
    private readonly Inception inception4d;
    private readonly Inception inception4e;
    private readonly MaxPool2d maxpool4;
    private readonly Inception inception5a;
    private readonly Inception inception5b;
    private readonly InceptionAux? aux1;
    private readonly InceptionAux? aux2;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public GoogLeNet(long numClasses = 1000, long inChannels = 3, bool auxLogits = false, bool small = false,
                     double dropout = 0.2, double dropoutAux = 0.7, long fiveByFiveKernel = 3, int widthDivisor = 4)
        : base(nameof(GoogLeNet))
    {
        if (widthDivisor < 1) throw new ArgumentOutOfRangeException(nameof(widthDivisor), widthDivisor, "at least 1");
        int d = small ? widthDivisor : 1;
        long C(long c) => Math.Max(1, c / d);
        Inception Module(InceptionRow r, long input) =>
            new(input, C(r.Ch1x1), C(r.Ch3x3Reduce), C(r.Ch3x3), C(r.Ch5x5Reduce), C(r.Ch5x5), C(r.PoolProj), fiveByFiveKernel);

        conv1 = small ? new BasicConv2d(inChannels, C(64), 3, padding: 1) : new BasicConv2d(inChannels, 64, 7, stride: 2, padding: 3);
        maxpool1 = small ? nn.Identity() : nn.MaxPool2d(3, stride: 2, ceil_mode: true);     // N × 64 × 56 × 56
        conv2 = new BasicConv2d(C(64), C(64), 1);
        conv3 = new BasicConv2d(C(64), C(192), 3, padding: 1);
        maxpool2 = small ? nn.Identity() : nn.MaxPool2d(3, stride: 2, ceil_mode: true);     // N × 192 × 28 × 28
        var t = InceptionTable;
        inception3a = Module(t[0], C(192));
        inception3b = Module(t[1], inception3a.OutChannels);                                // N × 480 × 28 × 28
        maxpool3 = nn.MaxPool2d(3, stride: 2, ceil_mode: true);                               // N × 480 × 14 × 14
        inception4a = Module(t[2], inception3b.OutChannels);
        inception4b = Module(t[3], inception4a.OutChannels);
        inception4c = Module(t[4], inception4b.OutChannels);
        inception4d = Module(t[5], inception4c.OutChannels);
        inception4e = Module(t[6], inception4d.OutChannels);                                // N × 832 × 14 × 14
        maxpool4 = nn.MaxPool2d(2, stride: 2, ceil_mode: true);                               // N × 832 × 7 × 7
        inception5a = Module(t[7], inception4e.OutChannels);
        inception5b = Module(t[8], inception5a.OutChannels);                                // N × 1024 × 7 × 7
        if (auxLogits)
        {
            aux1 = new InceptionAux(inception4a.OutChannels, numClasses, dropoutAux, small ? 2 : 4, C(128), small ? 256 : 1024);
            aux2 = new InceptionAux(inception4d.OutChannels, numClasses, dropoutAux, small ? 2 : 4, C(128), small ? 256 : 1024);
        }
        avgpool = nn.AdaptiveAvgPool2d(1);
        this.dropout = nn.Dropout(dropout);
        fc = nn.Linear(inception5b.OutChannels, numClasses);
        RegisterComponents();

        foreach (var m in modules())
        {
            switch (m)
            {
                // Init.TruncNormal, not TorchSharp's nn.init.trunc_normal_, which fills the weights with the constant std.
                case Conv2d conv: Init.TruncNormal(conv.weight, mean: 0, std: 0.01, a: -2, b: 2); break;
                case Linear linear: Init.TruncNormal(linear.weight, mean: 0, std: 0.01, a: -2, b: 2); break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
            }
        }
    }

    public bool HasAuxLogits => aux1 is not null;

    /// <summary>The logits, plus the auxiliary logits when training with auxiliary classifiers.</summary>
    public GoogLeNetOutputs forward_with_aux(Tensor x)
    {
        var h = maxpool1.call(conv1.call(x));
        h = maxpool2.call(conv3.call(conv2.call(h)));
        h = maxpool3.call(inception3b.call(inception3a.call(h)));
        h = inception4a.call(h);
        var a1 = training && aux1 is not null ? aux1.call(h) : null;
        h = inception4d.call(inception4c.call(inception4b.call(h)));
        var a2 = training && aux2 is not null ? aux2.call(h) : null;
        h = maxpool4.call(inception4e.call(h));
        h = inception5b.call(inception5a.call(h));
        h = dropout.call(avgpool.call(h).flatten(1));                                        // N × 1024
        return new GoogLeNetOutputs(fc.call(h), a2, a1);
    }

    /// <summary>The main logits only; auxiliary logits computed in training are dropped.</summary>
    public override Tensor forward(Tensor x)
    {
        var outputs = forward_with_aux(x);
        outputs.Aux1?.Dispose();
        outputs.Aux2?.Dispose();
        return outputs.Logits;
    }
}
