using CnnCourse.Torch.Modules;

namespace CnnCourse.Torch.Tests.Modules;

// Test-local layers built from Parameters and matmul (the library's real layers live elsewhere).

/// <summary>y = x·W + b with W of shape [in, out].</summary>
internal sealed class TinyLinear : Module
{
    public Parameter weight;
    public Parameter? bias;

    public TinyLinear(long inFeatures, long outFeatures, bool bias = true)
    {
        weight = Parameter.From(torch.randn(inFeatures, outFeatures));
        this.bias = bias ? Parameter.From(torch.zeros(outFeatures)) : null;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    public override Tensor forward(Tensor input)
    {
        var y = input.matmul(weight);
        return bias is null ? y : y + bias;
    }

    public override string extra_repr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(bias is null ? "False" : "True")}";
}

/// <summary>Holds buffers as BatchNorm does: running_mean in a field, the others registered by name only.</summary>
internal sealed class TinyNorm : Module
{
    public Parameter weight;
    public Parameter bias;
    public Tensor? running_mean;

    public TinyNorm(long features)
    {
        weight = Parameter.From(torch.ones(features));
        bias = Parameter.From(torch.zeros(features));
        register_buffer("running_mean", torch.zeros(features));
        register_buffer("running_var", torch.ones(features));
        register_buffer("num_batches_tracked", torch.zeros(Array.Empty<long>(), dtype: torch.int64));
        register_buffer("scratch", torch.zeros(features), persistent: false);
    }

    public override Tensor forward(Tensor input) => input * weight + bias;
}

/// <summary>A residual-style block with an optional (null) downsample field.</summary>
internal sealed class ToyBlock : Module
{
    public TinyLinear fc1;
    private readonly TinyNorm bn1;
    public Module? downsample;

    public ToyBlock(long features)
    {
        fc1 = new TinyLinear(features, features);
        bn1 = new TinyNorm(features);
    }

    public override Tensor forward(Tensor input) => bn1.call(fc1.call(input)) + (downsample?.call(input) ?? input);
}

/// <summary>Fields, a nested Sequential, a private field, an auto-property and a registered child.</summary>
internal sealed class ToyNet : Module
{
    public TinyLinear conv1;
    private TinyNorm bn1;
    public Sequential layer1;
    public TinyLinear fc { get; }

    public ToyNet(long features = 4, long classes = 3)
    {
        conv1 = new TinyLinear(2, features);
        bn1 = new TinyNorm(features);
        layer1 = torch.nn.Sequential(new ToyBlock(features), new ToyBlock(features));
        fc = new TinyLinear(features, classes);
        register_module("head1", new TinyLinear(classes, classes, bias: false));
    }

    public override Tensor forward(Tensor input)
    {
        var x = bn1.call(conv1.call(input));
        x = layer1.call(x);
        return get_submodule("head1").call(fc.call(x));
    }
}
