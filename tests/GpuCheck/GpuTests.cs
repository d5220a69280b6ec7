using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using CnnCourse.Engine.Tests;
using CnnCourse.Tests.Training;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

/// <summary>
/// Runs test methods by reflection, as a test host would, printing PASS, FAIL or SKIP for each.
/// Selected: every fact whose attribute is named Cuda… (such as <c>[CudaTrainingFact]</c>: a test for a
/// GPU, skipped with its reason elsewhere) in the referenced test assemblies, and every fact and theory
/// of the engine's GradScaler and autocast tests, which on a GPU host run against the CUDA build of libtorch.
/// A test class is created per test (its constructor may take an <see cref="ITestOutputHelper"/> or a
/// class fixture) and disposed after it, as xunit does.
/// </summary>
internal static class GpuTests
{
    private static readonly Assembly[] TestAssemblies = [typeof(CudaTrainingTests).Assembly, typeof(GradScalerTests).Assembly];
    private static readonly Type[] WholeClasses = [typeof(GradScalerTests), typeof(AutocastTests)];

    private sealed record TestCase(Type Class, MethodInfo Method, object?[]? Arguments, string Name, string? Skip);

    public static int Run(string[] args)
    {
        if (args.Length > 1) return Usage.Fail($"tests takes one filter at most, not '{string.Join(' ', args)}'");
        string? filter = args.FirstOrDefault();
        if (filter is not null && filter.StartsWith('-')) return Usage.Fail($"tests: unknown option '{filter}'");
        if (!Startup.StartEngine()) return 1;

        var tests = Select().Where(t => filter is null || t.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (tests.Count == 0)
        {
            Console.Error.WriteLine($"GpuCheck: no test matches '{filter}'");
            return 1;
        }
        int passed = 0, failed = 0, skipped = 0;
        var total = Stopwatch.StartNew();
        foreach (var group in tests.GroupBy(t => t.Class))
        {
            using var fixtures = new ClassFixtures(group.Key);
            foreach (var test in group)
            {
                if (test.Skip is { } reason)
                {
                    skipped++;
                    Console.WriteLine($"  SKIP {test.Name}: {reason}");
                    continue;
                }
                var watch = Stopwatch.StartNew();
                var error = RunOne(test, fixtures);
                if (error is null)
                {
                    passed++;
                    Console.WriteLine($"  PASS {test.Name} ({watch.Elapsed.TotalSeconds:F2} s)");
                }
                else
                {
                    failed++;
                    Console.WriteLine($"  FAIL {test.Name} ({watch.Elapsed.TotalSeconds:F2} s)");
                    Console.WriteLine(Indent($"{error.GetType().Name}: {error.Message}\n{error.StackTrace}"));
                }
            }
        }
        Console.WriteLine($"gpu tests: {passed} passed, {failed} failed, {skipped} skipped ({total.Elapsed.TotalSeconds:F1} s)");
        return failed == 0 ? 0 : 1;
    }

    private static IEnumerable<TestCase> Select()
    {
        foreach (var type in TestAssemblies.SelectMany(a => a.GetExportedTypes()).Where(t => t.IsClass && !t.IsAbstract).OrderBy(t => t.FullName,
            StringComparer.Ordinal))
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).OrderBy(m => m.MetadataToken);
            foreach (var method in methods)
            {
                // Creating the attribute runs its constructor: a CUDA fact asks TorchSharp for a device there.
                var fact = method.GetCustomAttribute<FactAttribute>();
                if (fact is null) continue;
                if (!fact.GetType().Name.StartsWith("Cuda", StringComparison.Ordinal) && !WholeClasses.Contains(type)) continue;
                string name = $"{type.Name}.{method.Name}";
                if (fact is not TheoryAttribute)
                {
                    yield return new TestCase(type, method, null, name, fact.Skip);
                    continue;
                }
                var rows = method.GetCustomAttributes<DataAttribute>()
                    .SelectMany(data => (data.GetData(method) ?? []).Select(row => (Row: row, Skip: fact.Skip ?? data.Skip))).ToList();
                if (rows.Count == 0) yield return new TestCase(type, method, null, name, fact.Skip
                    ?? "a theory without data (GpuCheck reads DataAttribute rows)");
                foreach (var (row, skip) in rows)
                    yield return new TestCase(type, method, row, $"{name}({string.Join(", ", row.Select(Format))})", skip);
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    /// <summary>Runs one test in a new instance of its class; the failure, or null when it passed.</summary>
    private static Exception? RunOne(TestCase test, ClassFixtures fixtures)
    {
        object? instance = null;
        Exception? error = null;
        try
        {
            instance = test.Method.IsStatic ? null : fixtures.NewInstance(test.Name);
            if (instance is IAsyncLifetime lifetime) lifetime.InitializeAsync().GetAwaiter().GetResult();
            var result = test.Method.Invoke(instance, test.Arguments);
            if (result is Task task) task.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            error = Unwrap(e);
        }
        try
        {
            if (instance is IAsyncLifetime lifetime) lifetime.DisposeAsync().GetAwaiter().GetResult();
            (instance as IDisposable)?.Dispose();
        }
        catch (Exception e)
        {
            error ??= Unwrap(e);
        }
        return error;
    }

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? inner : e;

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(12).Select(line => "       " + line.TrimEnd()));

    /// <summary>A test class's constructor arguments: an output helper per test, class fixtures shared by its tests.</summary>
    private sealed class ClassFixtures(Type type) : IDisposable
    {
        private readonly Dictionary<Type, object> fixtures = [];

        public object NewInstance(string testName)
        {
            var constructors = type.GetConstructors();
            if (constructors.Length != 1)
                throw new InvalidOperationException($"{type.Name} has {constructors.Length} public constructors; a test class has one.");
            var arguments = constructors[0].GetParameters().Select(p => Argument(p, testName)).ToArray();
            return constructors[0].Invoke(arguments);
        }

        private object Argument(ParameterInfo parameter, string testName)
        {
            var wanted = parameter.ParameterType;
            if (wanted == typeof(ITestOutputHelper)) return new ConsoleOutput(testName);
            bool isClassFixture = type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>)
                && i.GetGenericArguments()[0] == wanted);
            if (!isClassFixture)
                throw new NotSupportedException($"GpuCheck cannot supply {type.Name}'s constructor argument " +
                    $"'{parameter.Name}' ({wanted.Name}): it supplies ITestOutputHelper and class fixtures.");
            if (!fixtures.TryGetValue(wanted, out var fixture))
                fixtures[wanted] = fixture = Activator.CreateInstance(wanted)!;
            return fixture;
        }

        public void Dispose()
        {
            foreach (var fixture in fixtures.Values.OfType<IDisposable>()) fixture.Dispose();
        }
    }

    /// <summary>A test's output, printed under its name as it comes.</summary>
    private sealed class ConsoleOutput(string testName) : ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine($"       [{testName}] {message}");

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(CultureInfo.InvariantCulture, format, args));
    }
}
