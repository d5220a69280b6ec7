using System.Xml.Linq;
using CnnCourse.Visualization;

namespace CnnCourse.Tests.Visualization;

public class TableTests
{
    private static Table Models() =>
        new Table("model", "params", "top-1")
            .AddRow("LeNet-5", 61706, 0.99)
            .AddRow("AlexNet", 61100840, 0.565)
            .AddRow("VGG-16", 138357544, 0.716);

    [Fact]
    public void Plain_text_aligns_numbers_right_and_text_left()
    {
        const string expected =
            "model       params  top-1\n" +
            "-------  ---------  -----\n" +
            "LeNet-5      61706  0.990\n" +
            "AlexNet   61100840  0.565\n" +
            "VGG-16   138357544  0.716\n";
        Assert.Equal(expected, Models().ToText());
        Assert.Equal(expected, Models().ToString());
    }

    [Fact]
    public void Formats_and_titles_apply_per_column()
    {
        var text = Models().Format("params", "N0").Format("top-1", "0.0%").WithTitle("ImageNet").ToText();
        Assert.Equal(
            "ImageNet\n" +
            "model         params  top-1\n" +
            "-------  -----------  -----\n" +
            "LeNet-5       61,706  99.0%\n" +
            "AlexNet   61,100,840  56.5%\n" +
            "VGG-16   138,357,544  71.6%\n", text);
        Assert.Throws<ArgumentException>(() => Models().Format("nope", "N0"));
    }

    [Fact]
    public void Html_is_escaped_well_formed_and_aligned()
    {
        var table = new Table("name", "value").AddRow("<b>bold</b> & co", 1.5).AddRow(null, 2.25).WithTitle("a < b");
        string html = table.ToHtml();
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt; &amp; co", html);
        Assert.DoesNotContain("<b>", html);
        var doc = XDocument.Parse(html);
        Assert.Equal("a < b", doc.Root!.Element("caption")!.Value);
        Assert.Equal(["name", "value"], doc.Descendants("th").Select(t => t.Value));
        Assert.Equal(["<b>bold</b> & co", "1.50", "", "2.25"], doc.Descendants("td").Select(t => t.Value));
        Assert.Equal(["text-align: left", "text-align: right"], doc.Descendants("th").Select(t => (string?)t.Attribute("style")));
        Assert.Equal("text-align: right", (string?)doc.Descendants("td").ElementAt(1).Attribute("style"));
    }

    private sealed record Result(string Model, int Epochs, double Accuracy);

    [Fact]
    public void Records_and_anonymous_objects_give_one_column_per_property()
    {
        var table = Table.From([new Result("LeNet", 5, 0.9012), new Result("ResNet", 10, 0.9345)]);
        Assert.Equal(["Model", "Epochs", "Accuracy"], table.Columns);
        Assert.Equal(
            "Model   Epochs  Accuracy\n" +
            "------  ------  --------\n" +
            "LeNet        5    0.9012\n" +
            "ResNet      10    0.9345\n", table.ToText());

        var anon = Table.From(new[] { new { Name = "a", Count = 1 }, new { Name = "b", Count = 22 } });
        Assert.Equal(["Name", "Count"], anon.Columns);
        Assert.Equal(["value"], Table.From(new[] { 1, 2, 3 }).Columns);
    }

    [Fact]
    public void Columns_of_unequal_length_are_rejected()
    {
        var table = Table.FromColumns(("epoch", new[] { 1, 2 }), ("loss", new[] { 0.5, 0.25 }));
        Assert.Equal(new object?[] { 1, 0.5 }, table.Rows[0]);
        Assert.Equal(new object?[] { 2, 0.25 }, table.Rows[1]);
        var e = Assert.Throws<ArgumentException>(() => Table.FromColumns(("a", new[] { 1, 2 }), ("b", new[] { 1 })));
        Assert.Contains("Column 'b' has 1 values but 'a' has 2", e.Message);
        Assert.Throws<ArgumentException>(() => new Table("a", "b").AddRow(1));
    }

    [Fact]
    public void Floating_columns_share_decimals_and_tiny_values_go_scientific()
    {
        var table = new Table("lr", "loss").AddRow(0.1, 2.302585).AddRow(0.00001, 0.5).AddRow(double.NaN, 12.25);
        var cells = table.CellTexts();
        Assert.Equal(["1e-1", "1e-5", "NaN"], cells.Select(r => r[0]));
        Assert.Equal(["2.30", "0.50", "12.25"], cells.Select(r => r[1]));   // 4 significant digits of the largest
    }

    [Fact]
    public void Markdown_and_csv_forms()
    {
        var table = new Table("name", "n").AddRow("a|b", 1).AddRow("x, \"y\"", 2);
        Assert.Equal("| name | n |\n|:---|---:|\n| a\\|b | 1 |\n| x, \"y\" | 2 |\n", table.ToMarkdown());
        Assert.Equal("name,n\na|b,1\n\"x, \"\"y\"\"\",2\n", table.ToCsv());
    }
}
