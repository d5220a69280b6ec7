using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;
using CnnCourse.Notebooks.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// The course's notebooks read alike (DESIGN §7): the parameters cell first, in one shared vocabulary, then the one
/// prelude line. Read from the .ipynb files; nothing is run.
/// </summary>
public sealed class NotebookConventionTests
{
    /// <summary>The second code cell of every notebook, exactly.</summary>
    public const string PreludeLine = "#load \"prelude.csx\"";

    /// <summary>The parameters every notebook declares first, in this order.</summary>
    private static readonly string[] Leading = ["Quick", "Device", "RandomSeed"];

    /// <summary>The shared vocabulary and the type each name has wherever a notebook declares it.</summary>
    private static readonly Dictionary<string, ParameterType> Vocabulary = new(StringComparer.Ordinal)
    {
        ["Quick"] = ParameterType.Bool,
        ["Device"] = ParameterType.String,
        ["RandomSeed"] = ParameterType.Int,
        ["Epochs"] = ParameterType.Int,
        ["BatchSize"] = ParameterType.Int,
        ["LearningRate"] = ParameterType.Double,
        ["TrainImages"] = ParameterType.Int,
        ["TestImages"] = ParameterType.Int,
        ["Model"] = ParameterType.String,
        ["Dataset"] = ParameterType.String,
    };

    /// <summary>Names that mean a vocabulary name (compared ignoring case): a notebook must use the vocabulary's.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["QuickMode"] = "Quick", ["Fast"] = "Quick", ["Smoke"] = "Quick", ["SmokeTest"] = "Quick", ["TestMode"] = "Quick",
        ["DeviceName"] = "Device", ["Cuda"] = "Device", ["UseCuda"] = "Device", ["Gpu"] = "Device", ["UseGpu"] = "Device",
        ["Seed"] = "RandomSeed", ["RngSeed"] = "RandomSeed", ["ManualSeed"] = "RandomSeed", ["RandomState"] = "RandomSeed",
        ["NumEpochs"] = "Epochs", ["EpochCount"] = "Epochs", ["Epoch"] = "Epochs", ["NEpochs"] = "Epochs", ["TrainEpochs"] = "Epochs",
        ["FinalEpochs"] = "Epochs",
        ["Batch"] = "BatchSize", ["Bs"] = "BatchSize", ["BatchSz"] = "BatchSize", ["MiniBatch"] = "BatchSize", ["MiniBatchSize"] = "BatchSize",
        ["Lr"] = "LearningRate", ["LearnRate"] = "LearningRate", ["MaxLr"] = "LearningRate", ["PeakLr"] = "LearningRate",
        ["BaseLr"] = "LearningRate", ["InitialLr"] = "LearningRate", ["LearningRateMax"] = "LearningRate",
        ["TrainSize"] = "TrainImages", ["TrainCount"] = "TrainImages", ["NumTrain"] = "TrainImages", ["NumTrainImages"] = "TrainImages",
        ["TrainSamples"] = "TrainImages", ["TrainingImages"] = "TrainImages", ["TrainingSize"] = "TrainImages",
        ["PretrainImages"] = "TrainImages",
        ["TestSize"] = "TestImages", ["TestCount"] = "TestImages", ["NumTest"] = "TestImages", ["NumTestImages"] = "TestImages",
        ["TestSamples"] = "TestImages", ["NumImages"] = "TestImages", ["EvalImages"] = "TestImages",
        ["ModelName"] = "Model", ["Arch"] = "Model", ["Architecture"] = "Model", ["Network"] = "Model", ["Net"] = "Model",
        ["FinalModel"] = "Model",
        ["DatasetName"] = "Dataset", ["Data"] = "Dataset",
    };

    public static IEnumerable<object[]> Notebooks => CourseNotebooks.Find().Select(path => new object[] { path });

    [Fact]
    public void The_course_has_notebooks_and_the_prelude()
    {
        Assert.NotEmpty(CourseNotebooks.Find());
        Assert.True(File.Exists(Path.Combine(CourseNotebooks.Directory, "prelude.csx")), "notebooks/prelude.csx, which every notebook loads, is missing");
    }

    [Fact]
    public void No_synonym_is_itself_a_vocabulary_name()
    {
        Assert.All(Synonyms, s => Assert.True(Vocabulary.ContainsKey(s.Value) && !Vocabulary.ContainsKey(s.Key), $"{s.Key} → {s.Value}"));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_first_code_cell_is_the_parameters_cell_beginning_with_Quick_Device_RandomSeed(string notebook)
    {
        var code = CodeCells(notebook);
        Assert.True(code.Count >= 2, $"{notebook}: expected a parameters cell and the prelude line; found {code.Count} code cell(s)");
        Assert.True(code[0].HasTag(ParameterInjector.ParametersTag),
            $"{notebook}: the first code cell must be tagged '{ParameterInjector.ParametersTag}'; its source begins: {FirstLine(code[0].Source)}");
        var names = DeclaredNames(code[0].Source);
        Assert.True(names.Take(Leading.Length).SequenceEqual(Leading),
            $"{notebook}: the parameters cell must begin with {string.Join(", ", Leading)}; it declares {string.Join(", ", names)}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_second_code_cell_is_the_prelude_line(string notebook)
    {
        var code = CodeCells(notebook);
        Assert.True(code.Count >= 2, $"{notebook}: no second code cell");
        Assert.True(code[1].Source == PreludeLine,
            $"{notebook}: the second code cell must be exactly `{PreludeLine}` (the one prelude; notebooks/prelude.csx); it is:\n{code[1].Source}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Parameters_use_the_shared_vocabulary(string notebook)
    {
        var code = CodeCells(notebook);
        Assert.True(code.Count >= 1 && code[0].HasTag(ParameterInjector.ParametersTag), $"{notebook}: no parameters cell");
        var problems = new List<string>();
        foreach (var (name, declaration) in ParameterDeclarations.Read(code[0].Source))
        {
            if (Synonyms.TryGetValue(name, out var word))
                problems.Add($"'{name}' means '{word}': rename it to {word} in the code cells, the prose and the tests");
            else if (!Vocabulary.ContainsKey(name) && Vocabulary.Keys.FirstOrDefault(v => string.Equals(v, name, StringComparison.OrdinalIgnoreCase))
                     is { } spelled)
                problems.Add($"'{name}' is the vocabulary's '{spelled}' spelled differently");
            else if (Vocabulary.TryGetValue(name, out var type) && declaration.Type != type)
                problems.Add($"'{name}' is a {declaration.Type?.ToString() ?? "value of unknown type"} here, a {type} in the vocabulary ({declaration.Text})");
        }
        Assert.True(problems.Count == 0,
            $"{notebook}: the parameters cell leaves the shared vocabulary ({string.Join(", ", Vocabulary.Keys)}):\n  " + string.Join("\n  ", problems));
    }

    private static List<NotebookCell> CodeCells(string notebook) =>
        Notebook.Load(Path.Combine(CourseNotebooks.RepositoryRoot, notebook)).Cells
            .Where(c => c.IsCode && c.KernelName is not ("markdown" or "md"))
            .ToList();

    /// <summary>The cell's top-level variables in the order declared (the kernel parses a cell as a script).</summary>
    private static List<string> DeclaredNames(string source)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)).GetRoot();
        return root.Members
            .Select(m => m switch
            {
                FieldDeclarationSyntax field => field.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } => local.Declaration,
                _ => null,
            })
            .OfType<VariableDeclarationSyntax>()
            .SelectMany(d => d.Variables.Select(v => v.Identifier.ValueText))
            .ToList();
    }

    private static string FirstLine(string source) => source.Split('\n')[0];
}
