using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Analysis;

/// <summary>
/// A model's modules as PyTorch's <c>named_modules()</c> lists them: the model itself first (named
/// ""), then depth first in registration order, each module once (a module registered twice keeps
/// its first name). TorchSharp's own <c>named_modules()</c> leaves the model out, lists a level's
/// children before their descendants and repeats shared modules, so the analysis tools walk the
/// tree here instead.
/// </summary>
public static class ModuleTree
{
    /// <summary>(path, module, parent path) for every module of <paramref name="model"/>; the parent of the model is null.</summary>
    public static IReadOnlyList<(string Name, nn.Module Module, string? Parent)> Walk(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new List<(string, nn.Module, string?)>();
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        void Visit(string name, nn.Module module, string? parent)
        {
            if (!seen.Add(module)) return;
            result.Add((name, module, parent));
            foreach (var (childName, child) in module.named_children())
                Visit(name.Length == 0 ? childName : name + "." + childName, child, name);
        }
        Visit("", model, null);
        return result;
    }

    /// <summary>The module at <paramref name="path"/> ("" is the model), or null.</summary>
    public static nn.Module? Find(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        return Walk(model).FirstOrDefault(m => m.Name == path).Module;
    }

    /// <summary>The class name of a module without generic arity ("Sequential", "ResNet").</summary>
    public static string TypeName(nn.Module module)
    {
        var name = module.GetType().Name;
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }
}
