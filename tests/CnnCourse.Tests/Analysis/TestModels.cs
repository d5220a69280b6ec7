using BindingFlags = System.Reflection.BindingFlags;
using CnnCourse.Torch;
using CnnCourse.Torch.Modules;

namespace CnnCourse.Tests.Analysis;

/// <summary>Small models built from layers, whose shapes, parameters and MACs are worked out by hand in the tests.</summary>
internal static class TestModels
{
    /// <summary>
    /// LeNet-5 for 1×28×28 (conv1 padded by 2), as two Sequentials:
    /// features = conv 1→6 5×5 p2, Tanh, avgpool 2, conv 6→16 5×5, Tanh, avgpool 2;
    /// classifier = Flatten, Linear 400→120, Tanh, Linear 120→84, Tanh, Linear 84→10.
    /// </summary>
    public static Sequential LeNet() => new(
        ("features", new Sequential(
            new Conv2d(1, 6, 5, padding: 2), new Tanh(), new AvgPool2d(2),
            new Conv2d(6, 16, 5), new Tanh(), new AvgPool2d(2))),
        ("classifier", new Sequential(
            new Flatten(), new Linear(400, 120), new Tanh(), new Linear(120, 84), new Tanh(), new Linear(84, 10))));

    /// <summary>The number of forward hooks and pre-hooks on <paramref name="module"/> (both lists are private to Module).</summary>
    public static int HookCount(Module module)
    {
        int count = 0;
        foreach (var name in new[] { "preHooks", "forwardHooks" })
        {
            var field = typeof(Module).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException($"Module has no field {name}; update the test helper");
            if (field.GetValue(module) is System.Collections.ICollection list) count += list.Count;
        }
        return count;
    }

    public static int HookCountInTree(Module model) => model.modules().Sum(HookCount);

    /// <summary>A module with fields (not a Sequential) holding a convolution and a 1×1 shortcut, as a residual block.</summary>
    public sealed class ResidualBlock : Module
    {
        public Conv2d conv = new(4, 4, 3, padding: 1);
        public Conv2d shortcut = new(4, 4, 1);

        public override Tensor forward(Tensor input)
        {
            using var scope = torch.NewDisposeScope();
            return scope.MoveToOuter(conv.call(input) + shortcut.call(input));
        }
    }

    /// <summary>LeNet written as one class with fields, walked in declaration order by ReceptiveField.</summary>
    public sealed class PlainLeNet : Module
    {
        public Conv2d conv1 = new(1, 6, 5, padding: 2);
        public ReLU relu = new();
        public MaxPool2d pool1 = new(2);
        public Conv2d conv2 = new(6, 16, 5);
        public MaxPool2d pool2 = new(2);
        public Flatten flatten = new();
        public Linear fc = new(400, 10);

        public override Tensor forward(Tensor input)
        {
            using var scope = torch.NewDisposeScope();
            var x = pool1.call(relu.call(conv1.call(input)));
            x = pool2.call(relu.call(conv2.call(x)));
            return scope.MoveToOuter(fc.call(flatten.call(x)));
        }
    }
}
