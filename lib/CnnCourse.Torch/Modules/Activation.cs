using F = CnnCourse.Torch.torch.nn.functional;

namespace CnnCourse.Torch.Modules;

// Activation layers: each calls its torch.nn.functional counterpart.

/// <summary>max(0, x).</summary>
public class ReLU : Module
{
    public ReLU(bool inplace = false) => this.inplace = inplace;
    public bool inplace { get; }
    public override Tensor forward(Tensor input) => F.relu(input, inplace);
    public override string extra_repr() => inplace ? "inplace=True" : "";
}

/// <summary>min(max(0, x), 6).</summary>
public class ReLU6 : Module
{
    public ReLU6(bool inplace = false) => this.inplace = inplace;
    public bool inplace { get; }
    public override Tensor forward(Tensor input) => F.relu6(input, inplace);
    public override string extra_repr() => inplace ? "inplace=True" : "";
}

/// <summary>x for x ≥ 0, negative_slope·x otherwise.</summary>
public class LeakyReLU : Module
{
    public LeakyReLU(double negative_slope = 0.01, bool inplace = false)
    {
        this.negative_slope = negative_slope;
        this.inplace = inplace;
    }

    public double negative_slope { get; }
    public bool inplace { get; }
    public override Tensor forward(Tensor input) => F.leaky_relu(input, negative_slope, inplace);
    public override string extra_repr() => $"negative_slope={PyRepr.Float(negative_slope)}" + (inplace ? ", inplace=True" : "");
}

/// <summary>x·Φ(x); approximate "tanh" uses the tanh approximation.</summary>
public class GELU : Module
{
    public GELU(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"GELU: approximate must be 'none' or 'tanh', but got '{approximate}'", nameof(approximate));
        this.approximate = approximate;
    }

    public string approximate { get; }
    public override Tensor forward(Tensor input) => F.gelu(input, approximate);
    public override string extra_repr() => $"approximate='{approximate}'";
}

/// <summary>x·sigmoid(x).</summary>
public class SiLU : Module
{
    public SiLU(bool inplace = false) => this.inplace = inplace;
    public bool inplace { get; }
    public override Tensor forward(Tensor input) => F.silu(input, inplace);
    public override string extra_repr() => inplace ? "inplace=True" : "";
}

/// <summary>x·relu6(x + 3)/6.</summary>
public class Hardswish : Module
{
    public Hardswish(bool inplace = false) => this.inplace = inplace;
    public bool inplace { get; }
    public override Tensor forward(Tensor input) => F.hardswish(input, inplace);
}

/// <summary>relu6(x + 3)/6.</summary>
public class Hardsigmoid : Module
{
    public Hardsigmoid(bool inplace = false) => this.inplace = inplace;
    public bool inplace { get; }
    public override Tensor forward(Tensor input) => F.hardsigmoid(input, inplace);
}

/// <summary>1 / (1 + e^−x).</summary>
public class Sigmoid : Module
{
    public override Tensor forward(Tensor input) => F.sigmoid(input);
}

/// <summary>The hyperbolic tangent.</summary>
public class Tanh : Module
{
    public override Tensor forward(Tensor input) => F.tanh(input);
}

/// <summary>Softmax along <see cref="dim"/>.</summary>
public class Softmax : Module
{
    public Softmax(long dim) => this.dim = dim;
    public long dim { get; }
    public override Tensor forward(Tensor input) => F.softmax(input, dim);
    public override string extra_repr() => $"dim={dim}";
}

/// <summary>Log-softmax along <see cref="dim"/>.</summary>
public class LogSoftmax : Module
{
    public LogSoftmax(long dim) => this.dim = dim;
    public long dim { get; }
    public override Tensor forward(Tensor input) => F.log_softmax(input, dim);
    public override string extra_repr() => $"dim={dim}";
}
