using CnnCourse.Torch.Modules;

namespace CnnCourse.Torch;

// Factories of parameters and containers: torch.nn.Parameter(...), torch.nn.Sequential(...), …
public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A parameter sharing <paramref name="data"/>'s storage: a leaf that requires grad.</summary>
        public static Modules.Parameter Parameter(Tensor data, bool requires_grad = true) => new(data, requires_grad);

        /// <summary>An empty Sequential (add modules with append).</summary>
        public static Modules.Sequential Sequential() => new();

        /// <summary>Modules applied in order, named "0", "1", ….</summary>
        public static Modules.Sequential Sequential(params Module[] modules) => new(modules);

        /// <summary>Modules applied in order, under the given names.</summary>
        public static Modules.Sequential Sequential(params (string name, Module module)[] modules) => new(modules);

        public static Modules.Sequential Sequential(IEnumerable<(string name, Module module)> modules) => new(modules);

        public static Modules.ModuleList ModuleList(params Module[] modules) => new(modules);

        public static Modules.ModuleList ModuleList(IEnumerable<Module> modules) => new(modules);

        public static Modules.ModuleDict ModuleDict(params (string name, Module module)[] modules) => new(modules);

        public static Modules.ModuleDict ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules) => new(modules);

        public static Modules.ParameterList ParameterList(params Modules.Parameter[] parameters) => new(parameters);

        public static Modules.ParameterList ParameterList(IEnumerable<Modules.Parameter> parameters) => new(parameters);
    }
}
