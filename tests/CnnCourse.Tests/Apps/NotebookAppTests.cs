using CnnCourse.Apps;
using CnnCourse.Display;
using CnnCourse.Visualization;
using TorchSharp;

namespace CnnCourse.Tests.Apps;

/// <summary>What a lesson exported as a file-based app uses instead of the notebook kernel: parameters from the command line, display as text.</summary>
public sealed class NotebookAppTests
{
    private static (int? ExitCode, string Output, string Error) Check(NotebookApp app)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int? exitCode = app.Check(output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void Parameters_take_the_command_line_value_typed_like_the_default()
    {
        var app = NotebookApp.FromArguments("lesson.cs", "--Quick", "true", "--Epochs", "3", "--LearningRate", "0.5", "--Scale", "2", "--Steps", "-7",
                                            "--Budget", "1.25", "--Device", "cuda:0");
        Assert.True(app.Parameter("Quick", false));
        Assert.Equal(3, app.Parameter("Epochs", 5));
        Assert.Equal(0.5, app.Parameter("LearningRate", 0.1));
        Assert.Equal(2f, app.Parameter("Scale", 1f));
        Assert.Equal(-7L, app.Parameter("Steps", 10L));
        Assert.Equal(1.25m, app.Parameter("Budget", 0m));
        Assert.Equal("cuda:0", app.Parameter("Device", "auto"));
        Assert.Equal(7, app.Parameter("Seed", 7));   // not given: the default
        var (exitCode, output, error) = Check(app);
        Assert.Null(exitCode);
        Assert.Equal("", error);
        Assert.Equal("parameters: Quick = true, Epochs = 3, LearningRate = 0.5, Scale = 2, Steps = -7, Budget = 1.25, Device = cuda:0\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Without_arguments_the_defaults_hold_and_nothing_is_printed()
    {
        var app = NotebookApp.FromArguments("lesson.cs");
        Assert.False(app.Parameter("Quick", false));
        Assert.Equal((null, "", ""), Check(app));
    }

    [Fact]
    public void An_unknown_name_is_an_error_that_lists_the_known_ones()
    {
        var app = NotebookApp.FromArguments("lesson.cs", "--Quik", "true");
        app.Parameter("Quick", false);
        app.Parameter("Epochs", 5);
        var (exitCode, _, error) = Check(app);
        Assert.Equal(2, exitCode);
        Assert.Contains("lesson.cs: error: unknown parameter 'Quik'; the parameters are Quick, Epochs", error);
        Assert.Contains("--Epochs  int, default 5", error);
    }

    [Theory]
    [InlineData("--Epochs", "many", "--Epochs many: not an int (the default is 5)")]
    [InlineData("--Quick", "yes", "--Quick yes: not a bool (the default is false)")]
    [InlineData("Quick", "true", "'Quick' is not a parameter: give each one as --NAME VALUE")]
    public void A_malformed_value_is_an_error(string name, string value, string message)
    {
        var app = NotebookApp.FromArguments("lesson.cs", name, value);
        Assert.False(app.Parameter("Quick", false));
        Assert.Equal(5, app.Parameter("Epochs", 5));
        var (exitCode, _, error) = Check(app);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_name_without_a_value_is_an_error()
    {
        var app = NotebookApp.FromArguments("lesson.cs", "--Quick");
        app.Parameter("Quick", false);
        Assert.Contains("--Quick needs a value (--NAME VALUE)", Check(app).Error);
    }

    [Fact]
    public void Help_lists_the_parameters_with_types_and_defaults_and_exits_with_0()
    {
        var app = NotebookApp.FromArguments("01-convolution.cs", "--help");
        app.Parameter("Quick", false);
        app.Parameter("Device", "auto");
        app.Parameter("LearningRate", 0.05);
        var (exitCode, output, _) = Check(app);
        Assert.Equal(0, exitCode);
        Assert.Equal("""
            usage: dotnet run 01-convolution.cs -- [--NAME VALUE]...
            parameters (the notebook's parameters cell):
              --Quick         bool, default false
              --Device        string, default "auto"
              --LearningRate  double, default 0.05

            """, output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_parameter_of_another_type_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => NotebookApp.FromArguments("lesson.cs").Parameter("When", DateTime.Now));

    [Fact]
    public void Plain_text_is_the_text_plain_form_of_the_display_convention()
    {
        var table = new Table("a", "b").AddRow("x", 1);
        Assert.Equal(table.ToText(), PlainText.Of(table));
        var chart = Chart.Line("Loss").Add("train", [1.0, 0.5]);
        Assert.Equal(chart.ToString(), PlainText.Of(chart));
        // TorchSharp's own attribute (TorchSharp.Utils.TypeFormatterSourceAttribute) counts too: the values, not only the metadata.
        using var tensor = torch.tensor(new float[,] { { 4, 3, 4 }, { 2, 4, 3 } });
        string text = PlainText.Of(tensor);
        Assert.StartsWith("[2x3], type = Float32, device = cpu", text);
        Assert.Contains(" 4 3 4", text);
        Assert.NotEqual(tensor.ToString(), text);
        Assert.Equal("<null>", PlainText.Of(null));
        Assert.Equal("words", PlainText.Of("words"));
        Assert.Equal("[ 1, 2, 3 ]", PlainText.Of(new[] { 1, 2, 3 }));
        Assert.Equal("42", PlainText.Of(42));
    }

    [Fact]
    public void Display_writes_the_text_on_its_own_lines_and_update_writes_the_new_value()
    {
        using var writer = new StringWriter();
        var shown = NotebookFunctions.display(new Table("a").AddRow(1), writer);
        shown.Update("done");
        Assert.Equal("a\n-\n1\ndone\n", writer.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Html_shows_as_its_text_a_line_per_block() =>
        Assert.Equal("No weights found (looked in a & b).\nDownload it:\nmkdir -p data\ncurl -o data/w.pth\nThen re-run.",
            PlainText.Of(NotebookFunctions.HTML("<p><b>No weights found</b> (looked in <code>a</code> &amp; <code>b</code>).</p>" +
                                                "<p>Download it:</p><pre>mkdir -p data\ncurl -o data/w.pth</pre><p>Then re-run.</p>")));
}
