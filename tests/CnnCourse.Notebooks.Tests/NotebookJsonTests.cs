using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Tests;

/// <summary>The JSON layout: VS Code's (sorted keys, one-space indent, JSON.stringify escaping, trailing newline).</summary>
public sealed class NotebookJsonTests
{
    [Fact]
    public void Writes_sorted_keys_with_one_space_indentation_and_a_trailing_newline()
    {
        var json = new JsonObject
        {
            ["b"] = new JsonArray(1, "two", true, null),
            ["a"] = new JsonObject { ["empty_object"] = new JsonObject(), ["empty_array"] = new JsonArray() },
            ["B"] = "upper case sorts first, as JavaScript's sort()",
        };
        Assert.Equal("""
            {
             "B": "upper case sorts first, as JavaScript's sort()",
             "a": {
              "empty_array": [],
              "empty_object": {}
             },
             "b": [
              1,
              "two",
              true,
              null
             ]
            }

            """, NotebookJson.Serialize(json));
    }

    [Fact]
    public void Escapes_strings_as_JSON_stringify_does()
    {
        var json = new JsonArray("quote \" backslash \\ tab \t newline \n bell \u0007 <html> & é 😀 \u2028", "lone \ud800 surrogate");
        Assert.Equal(
            "[\n \"quote \\\" backslash \\\\ tab \\t newline \\n bell \\u0007 <html> & é 😀 \u2028\",\n \"lone \\ud800 surrogate\"\n]\n",
            NotebookJson.Serialize(json));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.5, "0.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void Writes_numbers_as_JavaScript_prints_them(double value, string expected) =>
        Assert.Equal(expected, NotebookJson.JavaScriptNumber(value));

    [Fact]
    public void Numbers_read_from_a_file_are_written_back_the_same_way()
    {
        var json = NotebookJson.Parse("""{"n": [4, 5.0, 2.50, 1E3, -0.0]}""");
        Assert.Equal("{\n \"n\": [\n  4,\n  5,\n  2.5,\n  1000,\n  0\n ]\n}\n", NotebookJson.Serialize(json));
    }

    [Theory]
    [InlineData("", "[]")]
    [InlineData("one line", """["one line"]""")]
    [InlineData("a\nb\n", """["a\n","b\n"]""")]
    [InlineData("a\n\nb", """["a\n","\n","b"]""")]
    public void Multiline_text_splits_like_VS_Code_and_joins_back(string text, string lines)
    {
        var split = MultilineText.ToLines(text);
        Assert.Equal(lines, split.ToJsonString());
        Assert.Equal(text, MultilineText.Join(split));
    }

    [Fact]
    public void A_notebook_read_and_written_unchanged_is_byte_identical()
    {
        string text = new Support.NotebookBuilder().Markdown("# Title").Parameters("var Quick = false;").Code("1 + 1").ToJson() is var json
            ? NotebookJson.Serialize(json)
            : "";
        var notebook = Notebook.Parse("same.ipynb", text);
        notebook.Normalize();
        Assert.Equal(text, notebook.ToJson());
    }

    [Fact]
    public void Normalize_upgrades_to_nbformat_4_5_with_unique_ids_and_keeps_existing_ones()
    {
        var notebook = Notebook.Parse("old.ipynb", """
            {"cells": [
              {"cell_type": "code", "metadata": {}, "source": "a", "outputs": [], "execution_count": null},
              {"cell_type": "markdown", "id": "keep-me", "metadata": {}, "source": "# x"},
              {"cell_type": "markdown", "id": "keep-me", "metadata": {}, "source": "# duplicate"},
              {"cell_type": "raw", "source": "raw text"}
            ],
             "metadata": {"kernelspec": {"name": ".net-csharp", "language": "C#", "display_name": ".NET (C#)"}, "custom": {"z": 1}},
             "nbformat": 4, "nbformat_minor": 2}
            """);
        notebook.Normalize();
        var ids = notebook.Cells.Select(c => c.Id!).ToList();
        Assert.Equal(5, notebook.Json["nbformat_minor"]!.GetValue<int>());
        Assert.Equal("keep-me", ids[1]);
        Assert.Equal(4, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", id));
        Assert.Equal("""{"z":1}""", notebook.Metadata["custom"]!.ToJsonString());
        Assert.Equal("{}", notebook.Cells[3].Json["metadata"]!.ToJsonString());
        // What VS Code needs to open it as a C# Polyglot notebook, added where it was missing.
        Assert.Equal("""{"name":"polyglot-notebook"}""", notebook.Metadata["language_info"]!.ToJsonString());
        Assert.Equal("""{"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"name":"csharp"}]}}""",
                     notebook.Metadata["polyglot_notebook"]!.ToJsonString());
        Assert.Equal("""{"polyglot_notebook":{"kernelName":"csharp"}}""", notebook.Cells[0].Json["metadata"]!.ToJsonString());
    }
}
