using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>Papermill's parameters convention, in C#.</summary>
public sealed class ParameterTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static Notebook Parse(NotebookBuilder builder) =>
        Notebook.Parse("params.ipynb", NotebookJson.Serialize(builder.ToJson()));

    private static IReadOnlyList<NotebookParameter> P(params (string Name, string Value)[] values) =>
        values.Select(v => new NotebookParameter(v.Name, v.Value)).ToList();

    [Fact]
    public void The_parameters_cell_declarations_give_each_parameter_its_type()
    {
        var declared = ParameterDeclarations.Read("""
            var Quick = false;
            var Epochs = 5;
            var Steps = 10L;
            var LearningRate = 1e-3;
            var Scale = 0.5f;
            var Budget = -2.5m;
            var Device = "auto";
            int Seed = 42;
            double? Momentum = null;
            var Derived = Epochs * 2;
            """);
        Assert.Equal(
            "Quick:Bool Epochs:Int Steps:Long LearningRate:Double Scale:Float Budget:Decimal Device:String Seed:Int Momentum:Double Derived:",
            string.Join(" ", declared.Values.Select(d => $"{d.Name}:{d.Type}")));
        Assert.Equal("int", declared["Seed"].DeclaredType);
        Assert.Null(declared["Epochs"].DeclaredType);
    }

    [Theory]
    [InlineData("true", "Bool", "true")]
    [InlineData("False", "Bool", "false")]
    [InlineData("3", "Int", "3")]
    [InlineData("-7", "Long", "-7L")]
    [InlineData("1", "Double", "1.0")]
    [InlineData("0.001", "Double", "0.001")]
    [InlineData("1e-8", "Double", "1E-08")]
    [InlineData("0.5", "Float", "0.5f")]
    [InlineData("2.50", "Decimal", "2.50m")]
    [InlineData("cuda:0", "String", "\"cuda:0\"")]
    [InlineData("say \"hi\"\\n", "String", "\"say \\\"hi\\\"\\\\n\"")]
    public void Values_become_literals_of_their_type(string text, string type, string literal) =>
        Assert.Equal(literal, TypedValue.TryConvert(text, Enum.Parse<ParameterType>(type))!.Literal);

    [Theory]
    [InlineData("true", "Bool")]
    [InlineData("12", "Int")]
    [InlineData("12345678901", "Long")]
    [InlineData("0.25", "Double")]
    [InlineData("Infinity", "String")]
    [InlineData("cpu", "String")]
    public void Undeclared_values_are_typed_from_their_text(string text, string type) =>
        Assert.Equal(Enum.Parse<ParameterType>(type), TypedValue.Infer(text));

    [Fact]
    public void Injection_adds_a_tagged_cell_right_after_the_parameters_cell()
    {
        var notebook = Parse(new NotebookBuilder()
            .Markdown("# Lesson")
            .Parameters("var Quick = false;\nvar Epochs = 5;\nvar LearningRate = 0.1;\nvar Device = \"auto\";")
            .Code("Epochs"));
        var injection = ParameterInjector.Inject(notebook, P(("Quick", "true"), ("Epochs", "1"), ("LearningRate", "1"), ("Device", "cpu")));

        Assert.Equal(["c1", "c2", "injected-parameters", "c3"], notebook.Cells.Select(c => c.Id));
        Assert.Equal("""
            {
             "cell_type": "code",
             "execution_count": null,
             "id": "injected-parameters",
             "metadata": {
              "dotnet_interactive": {
               "language": "csharp"
              },
              "polyglot_notebook": {
               "kernelName": "csharp"
              },
              "tags": [
               "injected-parameters"
              ]
             },
             "outputs": [],
             "source": [
              "// Parameters injected by the course's runner (-p NAME VALUE): they override the defaults above.\n",
              "var Quick = true;\n",
              "var Epochs = 1;\n",
              "var LearningRate = 1.0;\n",
              "var Device = \"cpu\";"
             ]
            }

            """, NotebookJson.Serialize(notebook.Cells[2].Json));
        Assert.Equal("""{"Quick":true,"Epochs":1,"LearningRate":1,"Device":"cpu"}""",
            new System.Text.Json.Nodes.JsonObject(injection.Values.Select(v => KeyValuePair.Create(v.Key,
                (System.Text.Json.Nodes.JsonNode?)v.Value.Json))).ToJsonString());
    }

    [Fact]
    public void Injecting_again_replaces_the_earlier_injected_cell_and_no_parameters_removes_it()
    {
        var notebook = Parse(new NotebookBuilder().Parameters("var Epochs = 5;").Code("Epochs"));
        ParameterInjector.Inject(notebook, P(("Epochs", "1")));
        ParameterInjector.Inject(notebook, P(("Epochs", "2")));
        var injected = Assert.Single(notebook.Cells, c => c.HasTag(ParameterInjector.InjectedTag));
        Assert.EndsWith("var Epochs = 2;", injected.Source);
        Assert.Equal(1, notebook.IndexOf(injected));

        ParameterInjector.Inject(notebook, []);
        Assert.Equal(["c1", "c2"], notebook.Cells.Select(c => c.Id));
    }

    [Fact]
    public void Explicit_types_are_kept_and_wrong_values_are_refused()
    {
        var notebook = Parse(new NotebookBuilder().Parameters("int Epochs = 5;\nstring[] Names = [];"));
        ParameterInjector.Inject(notebook, P(("Epochs", "3")));
        Assert.EndsWith("int Epochs = 3;", notebook.Cells[1].Source);

        Assert.Equal("parameter Epochs: \"three\" is not a int, which the parameters cell declares (int Epochs = 5)",
            Assert.Throws<ParameterException>(() => ParameterInjector.Inject(notebook, P(("Epochs", "three")))).Message);
        Assert.Equal("parameter Names: the parameters cell declares it as string[]; only " +
            "bool, int, long, double, float, decimal and string parameters can be given",
            Assert.Throws<ParameterException>(() => ParameterInjector.Inject(notebook, P(("Names", "a")))).Message);
    }

    [Fact]
    public void Unknown_parameters_and_a_missing_parameters_cell_are_errors_that_name_the_known_ones()
    {
        var withCell = Parse(new NotebookBuilder().Parameters("var Quick = false;\nvar Epochs = 5;"));
        Assert.Equal("the parameters cell declares no 'Quik', 'Epoch'; its parameters are Quick, Epochs",
            Assert.Throws<ParameterException>(() => ParameterInjector.Inject(withCell, P(("Quik", "true"), ("Epochs", "1"), ("Epoch", "2")))).Message);
        Assert.DoesNotContain(withCell.Cells, c => c.HasTag(ParameterInjector.InjectedTag));

        var withoutCell = Parse(new NotebookBuilder().Markdown("# Title").Code("1"));
        Assert.Equal("no cell is tagged 'parameters', so the notebook takes no parameters (-p Quick)",
            Assert.Throws<ParameterException>(() => ParameterInjector.Inject(withoutCell, P(("Quick", "true")))).Message);
    }

    [Fact]
    public async Task Injected_values_override_the_defaults_when_the_notebook_runs()
    {
        string path = new NotebookBuilder()
            .Parameters("var Quick = false;\nvar Epochs = 5;\nvar LearningRate = 0.1;")
            .Code("$\"{Quick} {Epochs} {LearningRate} {Epochs.GetType().Name} {LearningRate.GetType().Name}\"")
            .Write(dir.File("run/params.ipynb"));
        var result = await RunnerHarness.RunOneAsync(path, OutputMode.InPlace, ("Quick", "true"), ("Epochs", "2"), ("LearningRate", "1"));
        Assert.Equal(NotebookStatus.Passed, result.Status);
        var written = Notebook.Load(path);
        Assert.Equal(["c1", "injected-parameters", "c2"], written.Cells.Select(c => c.Id));
        Assert.Equal("True 2 1 Int32 Double", MultilineText.Join(written.Cells[2].Json["outputs"]![0]!["data"]!["text/plain"]));
        Nbformat.AssertValid(path);
    }

    [Fact]
    public async Task A_failure_in_quick_mode_names_the_cell_as_the_source_notebook_counts_it()
    {
        string path = new NotebookBuilder()
            .Markdown("# Lesson")
            .Parameters("var Quick = false;")
            .Code("if (Quick) throw new Exception(\"quick mode broke\");")
            .Write(dir.File("quick/lesson.ipynb"));
        var result = await RunnerHarness.RunOneAsync(path, OutputMode.None, ("Quick", "true"));
        // The kernel's stack traces carry no line numbers for notebook code: the cell is what is named.
        Assert.Equal("cell 3 (code cell 2): System.Exception: quick mode broke", result.Failure!.Describe());
        Assert.Equal("System.Exception: quick mode broke", result.Failure.Error.Traceback[0]);
    }
}

