using CnnCourse.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BindingFlags = System.Reflection.BindingFlags;

namespace CnnCourse.Tests.Analysis;

/// <summary>Small models built from layers, whose shapes, parameters and MACs are worked out by hand in the tests.</summary>
internal static class TestModels
{
    /// <summary>
    /// LeNet-5 for 1×28×28 (conv1 padded by 2), as two Sequentials:
    /// features = conv 1→6 5×5 p2, Tanh, avgpool 2, conv 6→16 5×5, Tanh, avgpool 2;
    /// classifier = Flatten, Linear 400→120, Tanh, Linear 120→84, Tanh, Linear 84→10.
    /// </summary>
    public static Sequential LeNet() => nn.Sequential(
        ("features", nn.Sequential(
            nn.Conv2d(1, 6, 5, padding: 2), nn.Tanh(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2))),
        ("classifier", nn.Sequential(
            nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))));

    /// <summary>The module at <paramref name="path"/>, which must exist.</summary>
    public static nn.Module At(nn.Module model, string path) =>
        ModuleTree.Find(model, path) ?? throw new InvalidOperationException($"no module '{path}'");

    /// <summary>The forward hooks and pre-hooks on <paramref name="module"/> (TorchSharp keeps them in protected dictionaries of HookableModule).</summary>
    public static int HookCount(nn.Module module)
    {
        int count = 0;
        foreach (var name in new[] { "pre_hooks", "post_hooks", "module_pre_hooks", "module_post_hooks" })
        {
            var field = FindField(module.GetType(), name)
                ?? throw new InvalidOperationException($"{module.GetType().Name} has no field {name}; update the test helper to this TorchSharp");
            if (field.GetValue(module) is System.Collections.ICollection hooks) count += hooks.Count;
        }
        return count;
    }

    private static System.Reflection.FieldInfo? FindField(Type? type, string name)
    {
        for (; type is not null; type = type.BaseType)
            if (type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly) is { } field) return field;
        return null;
    }

    public static int HookCountInTree(nn.Module model) => ModuleTree.Walk(model).Sum(m => HookCount(m.Module));

    /// <summary>A module with fields (not a Sequential) holding a convolution and a 1×1 shortcut, as a residual block.</summary>
    public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = nn.Conv2d(4, 4, 3, padding: 1);
        private readonly Conv2d shortcut = nn.Conv2d(4, 4, 1);

        public ResidualBlock() : base(nameof(ResidualBlock)) => RegisterComponents();

        public override Tensor forward(Tensor input) => conv.call(input) + shortcut.call(input);
    }

    /// <summary>LeNet written as one class with fields, walked in declaration order by ReceptiveField.</summary>
    public sealed class PlainLeNet : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1 = nn.Conv2d(1, 6, 5, padding: 2);
        private readonly ReLU relu = nn.ReLU();
        private readonly MaxPool2d pool1 = nn.MaxPool2d(2);
        private readonly Conv2d conv2 = nn.Conv2d(6, 16, 5);
        private readonly MaxPool2d pool2 = nn.MaxPool2d(2);
        private readonly Flatten flatten = nn.Flatten();
        private readonly Linear fc = nn.Linear(400, 10);

        public PlainLeNet() : base(nameof(PlainLeNet)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var x = pool1.call(relu.call(conv1.call(input)));
            x = pool2.call(relu.call(conv2.call(x)));
            return fc.call(flatten.call(x));
        }
    }
}
