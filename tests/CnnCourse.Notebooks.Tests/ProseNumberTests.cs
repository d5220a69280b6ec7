using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// A notebook's prose states no measured number that its outputs do not print (DESIGN §7: every number in prose is
/// computed and printed by the code, or guarded by <c>Check</c>). Read from the committed .ipynb files; nothing is run.
/// The rule, as <see cref="ProseNumbers"/> implements it:
/// <list type="bullet">
/// <item>A prose number is a number in a markdown cell, outside code (fenced or inline), LaTeX ($…$, $$…$$, \(…\), \[…\]),
/// links and images with their text, URLs, HTML tags, and the Exercises section (tasks and questions for the reader).
/// Digits inside a name (ResNet-50, B0, top-1, 3-4-6-3) are not numbers.</item>
/// <item>It is measured when a unit typical of results follows it: a percentage or percentage points (90.5%), a duration
/// (54 s, 0.28 ms, 5 minutes), a ratio (2.37×, 2.6-fold, 3 times; not the sizes in 3×3 or 3 × H), a rate per second
/// (779 img/s), or a count scaled by a power of ten or counted in MACs, FLOPs or bytes (143.7 million, 4.2 M,
/// 19.63 GMACs, 45 MB). A number listed with a measured one shares its unit: 869 → 664 → 779 img/s; 132.9 to 143.7
/// million; 11.5% and 9.5%.</item>
/// <item>Except in a sentence that cites a source: it says "et al.", "paper", "Table 4", "Figure 2", "Eq. 3", "§",
/// "published", "documentation", "cite(d)" or "according to", or holds a URL. A cited figure is not the notebook's
/// to print.</item>
/// <item>A measured number must be among the numbers of the notebook's outputs (streams; text/plain, text/markdown
/// and text/html bundles), thousands separators ignored, written at least as precisely and rounding to it: 90.47 backs
/// 90.5%, 90.5 does not back 90.47%. A percentage may be printed as a fraction (0.905 backs 90.5%), a scaled count in
/// full (143,667,240 backs 143.7 million). An output number with a unit of its own backs only a prose number of the
/// same kind (percentage, duration, ratio, rate, count, bytes), compared in one base unit (280 µs backs 0.28 ms;
/// "2.60 MB" does not back "2.6-fold"); one without (a table cell under a header that names the unit) backs any.
/// A numeric literal of a code cell (a parameter's value, a <c>Check</c> threshold) backs the same value exactly.</item>
/// </list>
/// What it cannot see: numbers in words ("three percentage points"), claims without a number ("faster"), and a small
/// number that some unrelated output happens to print.
/// </summary>
public sealed class ProseNumberTests
{
    public static IEnumerable<object[]> Notebooks => CourseNotebooks.Find().Select(path => new object[] { path });

    [NotebookTheory]
    [MemberData(nameof(Notebooks))]
    public void Every_measured_number_in_the_prose_appears_in_the_outputs(string notebook)
    {
        var findings = ProseNumbers.Unsupported(Notebook.Parse(notebook, File.ReadAllText(Path.Combine(CourseNotebooks.RepositoryRoot, notebook))));
        Assert.True(findings.Count == 0,
            "the prose states measured numbers that no output prints: print each in a cell, guard it with Check, cite its source, "
            + "or write the sentence from the output it describes\n  " + string.Join("\n  ", findings));
    }

    [Fact]
    public void A_measured_number_that_no_output_prints_is_reported_with_its_notebook_cell_and_sentence()
    {
        var notebook = Parse(new NotebookBuilder()
            .Markdown("# Lesson")
            .Code("Train();").Prints("test accuracy 88.70 %")
            .Markdown("## Result\n\nThe model learns. It reaches 91.2% after two\nepochs, as the line above shows."));

        var finding = Assert.Single(ProseNumbers.Unsupported(notebook));

        const string Sentence = "It reaches 91.2% after two epochs, as the line above shows.";
        Assert.Equal(new ProseNumbers.Finding("lesson.ipynb", "cell 3 (markdown cell 2)", "91.2%", Sentence), finding);
        Assert.Equal($"lesson.ipynb, cell 3 (markdown cell 2): 91.2% is in no output: \"{Sentence}\"", finding.ToString());
    }

    [Theory]
    [InlineData("It reaches 88.7% accuracy.", "test accuracy 88.70 %")]
    [InlineData("It reaches 90.5% accuracy.", "accuracy 90.47")]
    [InlineData("It reaches 90.5% accuracy.", "accuracy 0.9047")]
    [InlineData("One epoch takes 54 s.", "epoch 1/1 | 53.8 s, 1,105 img/s")]
    [InlineData("It trains at 1,105 img/s.", "epoch 1/1 | 53.8 s, 1105 img/s")]
    [InlineData("The speed-up is 2.37×.", "speed-up 2.372")]
    [InlineData("Throughput went 869 → 664 → 779 img/s.", "869\n664\n779")]
    [InlineData("VGG-19 has 143.7 million parameters.", "143,667,240")]
    [InlineData("VGG-19 does 19.63 GMACs.", "19.63")]
    [InlineData("VGG-19 does 19.63 GMACs.", "Total MACs: 19,632.5 M")]
    [InlineData("A forward pass takes 0.28 ms.", "latency 280 µs")]
    public void A_measured_number_that_an_output_prints_is_not_reported(string prose, string output)
    {
        Assert.Empty(ProseNumbers.Unsupported(Parse(new NotebookBuilder().Code("Run();").Prints(output).Markdown(prose))));
        Assert.Empty(ProseNumbers.Unsupported(Parse(new NotebookBuilder().Code("Run();").Returns("text/plain", output).Markdown(prose))));
    }

    [Fact]
    public void An_HTML_output_counts_by_its_text_not_its_markup()
    {
        var notebook = new NotebookBuilder().Code("Table();").Returns("text/html", "<table width=\"75\"><tr><td>91.20&nbsp;%</td></tr></table>");

        Assert.Empty(ProseNumbers.Unsupported(Parse(notebook.Markdown("The model reaches 91.2%."))));
        Assert.Equal(["75%"], ProseNumbers.Unsupported(Parse(notebook.Markdown("It uses 75% of the time."))).Select(f => f.Number));
    }

    [Theory]
    [InlineData("It reaches 90.47% accuracy.", "accuracy 90.5", "90.47%")]
    [InlineData("It reaches 90.5% accuracy.", "accuracy 90.44", "90.5%")]
    [InlineData("Throughput went 869 → 664 → 779 img/s.", "869 779", "664 img/s")]
    [InlineData("VGG-19 has 143.7 million parameters.", "143,567,240", "143.7 million")]
    [InlineData("The computation grows 2.6-fold.", "Params size: 2.60 MB", "2.6-fold")]
    [InlineData("One epoch takes 54 s.", "accuracy 54 %", "54 s")]
    [InlineData("The paper reports 23.9%. Here the model reaches 91.2%.", "", "91.2%")]
    [InlineData("## Exercises\n\n1. Try 300 s.\n\n## Results\n\nIt reaches 91.2%.", "", "91.2%")]
    public void A_number_printed_less_precisely_rounding_elsewhere_or_in_another_unit_is_reported(string prose, string output, string reported)
    {
        var findings = ProseNumbers.Unsupported(Parse(new NotebookBuilder().Code("Run();").Prints(output).Markdown(prose)));
        Assert.Equal([reported], findings.Select(f => f.Number));
    }

    [Theory]
    [InlineData("Its loss is $\\ln 10 \\approx 2.30$ at the start, and $$\\text{acc} = 95\\%$$ is a formula.")]
    [InlineData("`Check(accuracy > 0.95)` and `TimeBudget = 30 s` are code.\n\n```\n60 s\n```")]
    [InlineData("Lesson [04 (25% faster)](04-alexnet.ipynb) and https://example.org/75% are links.")]
    [InlineData("Its published ImageNet top-1 accuracy is 71.88% (torchvision's documentation).")]
    [InlineData("The paper's Table 4 reports 29.3 M parameters and 4,866 M mult-adds.")]
    [InlineData("Xie et al. 2017 give 22.2% vs 23.9%.")]
    [InlineData("Two 3×3 convolutions see 5×5; a 3 × 3 × C window; an N × C × H × W batch; 224 × 224 inputs.")]
    [InlineData("In the 1990s LeNet-5 read cheques; ResNet-50, EfficientNet-B0 and top-1 follow in lesson 12.")]
    [InlineData("## Exercises\n\n1. Raise the budget to 300 seconds. Which model passes 93%?")]
    [InlineData("<img width=\"50%\" src=\"chart.png\"> shows it.")]
    public void Formulas_code_links_citations_sizes_names_and_exercises_are_not_measured_numbers(string prose)
    {
        Assert.Empty(ProseNumbers.Measured(prose));
        Assert.Empty(ProseNumbers.Unsupported(Parse(new NotebookBuilder().Code("Run();").Markdown(prose))));
    }

    [Theory]
    [InlineData("It reached 90.5% (and 11.5% and 9.5% for the others).", "90.5%|11.5%|9.5%")]
    [InlineData("Throughput: 869 → 664 → 779 img/s, 12 images per second, 3 s and 0.28 ms and 5 minutes.",
        "869 img/s|664 img/s|779 img/s|12 images per second|3 s|0.28 ms|5 minutes")]
    [InlineData("It is 2.37× faster, 2.6-fold, 3 times the MACs, 4× the channels, a 2x gain.", "2.37×|2.6-fold|3 times|4×|2x")]
    [InlineData("From 132.9 to 143.7 million parameters, 4.2 M weights, 19.63 GMACs, 416,520 MACs, 45 MB.",
        "132.9 million|143.7 million|4.2 M|19.63 GMACs|416,520 MACs|45 MB")]
    [InlineData("1.7 percentage points, 2 points, 3 per cent.", "1.7 percentage points|2 points|3 per cent")]
    public void Measured_numbers_are_found_with_their_units(string prose, string expected)
    {
        Assert.Equal(expected.Split('|'), ProseNumbers.Measured(prose).Select(n => n.Text));
    }

    [Fact]
    public void A_code_cells_literal_backs_a_prose_number_exactly()
    {
        var notebook = new NotebookBuilder()
            .Parameters("var Quick = false;\nvar TimeBudget = 30;")
            .Code("Check(accuracy >= 0.85, \"the model learns\");");

        Assert.Empty(ProseNumbers.Unsupported(Parse(notebook.Markdown("Each model trains for 30 s and must reach at least 85%."))));
        Assert.Equal(["31 s", "86%"],
            ProseNumbers.Unsupported(Parse(notebook.Markdown("Each model trains for 31 s and must reach 86%."))).Select(f => f.Number));
    }

    [Fact]
    public void Markdown_cells_of_the_Polyglot_markdown_kernel_are_prose_too()
    {
        var notebook = Parse(new NotebookBuilder().Code("Run();").Prints("88.70 %").CodeIn("markdown", "It reaches 91.2%."));
        Assert.Equal(["91.2%"], ProseNumbers.Unsupported(notebook).Select(f => f.Number));
    }

    private static Notebook Parse(NotebookBuilder builder) => Notebook.Parse("lesson.ipynb", NotebookJson.Serialize(builder.ToJson()));
}
