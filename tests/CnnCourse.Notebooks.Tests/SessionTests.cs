using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>The kernel emulation, cell by cell, in the test process (one warm compiler for all).</summary>
public sealed class SessionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SessionHarness NewSession() => new(_dir.File("nb/session.ipynb"));

    [Fact]
    public async Task Variables_methods_and_types_carry_over_between_cells()
    {
        var session = NewSession();
        await session.RunAsync("var total = 40;\nint Twice(int x) => 2 * x;\nrecord Point(int X, int Y);");
        string outputs = await session.OutputsJsonAsync("total + Twice(1)");
        Assert.Equal("""
            [
             {
              "data": {
               "text/html": [
                "<div class=\"dni-plaintext\"><pre>42</pre></div>"
               ],
               "text/plain": [
                "42"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, outputs);
        Assert.Contains("Point { X = 1, Y = 2 }", await session.OutputsJsonAsync("new Point(1, 2)"));
    }

    [Fact]
    public async Task The_kernels_default_namespaces_are_imported()
    {
        var session = NewSession();
        var (result, outputs) = await session.RunAsync(
            "var list = new List<int> { 3, 1, 2 };\nvar text = new StringBuilder().Append(list.OrderBy(x => x).First());\nTask.FromResult(text.ToString()).Result");
        Assert.Null(result.Error);
        Assert.Contains("\"1\"", SessionHarness.Json(outputs.ToJson()));
    }

    [Fact]
    public async Task Execution_counts_number_every_executed_cell_and_skip_markdown()
    {
        var session = NewSession();
        var first = await session.RunAsync("var a = 1;");
        var markdown = await session.RunAsync("#!markdown\n# Not code");
        var byKernel = await session.RunAsync("# Also not code", kernelName: "markdown");
        var second = await session.RunAsync("#!csharp\na + 1");
        Assert.Equal(1, first.Result.ExecutionCount);
        Assert.False(markdown.Result.Executed);
        Assert.True(markdown.Outputs.IsEmpty);
        Assert.False(byKernel.Result.Executed);
        Assert.Equal(2, second.Result.ExecutionCount);
    }

    [Fact]
    public async Task Only_a_final_expression_without_semicolon_shows_a_value()
    {
        var session = NewSession();
        Assert.Equal("[]", await session.OutputsJsonAsync("var x = 5;"));
        // A void call as the last line shows nothing but what it printed.
        Assert.Equal("""
            [
             {
              "name": "stdout",
              "output_type": "stream",
              "text": [
               "5\n"
              ]
             }
            ]
            """, await session.OutputsJsonAsync("Console.WriteLine(x)"));
        string nullValue = await session.OutputsJsonAsync("(string?)null");
        Assert.Contains("\"<null>\"", nullValue);
        Assert.Equal("""
            [
             {
              "data": {
               "text/plain": [
                "a string\n",
                "on two lines"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, await session.OutputsJsonAsync("\"a string\\non two lines\""));
    }

    [Fact]
    public async Task Console_output_is_captured_per_cell_and_merged_per_stream()
    {
        var session = NewSession();
        string outputs = await session.OutputsJsonAsync(
            "Console.Write(\"a\");\nConsole.WriteLine(\"b\");\nConsole.Error.WriteLine(\"warn\");\nConsole.WriteLine(\"c\");\ndisplay(1);\nConsole.WriteLine(\"d\");");
        Assert.Equal("""
            [
             {
              "name": "stdout",
              "output_type": "stream",
              "text": [
               "ab\n"
              ]
             },
             {
              "name": "stderr",
              "output_type": "stream",
              "text": [
               "warn\n"
              ]
             },
             {
              "name": "stdout",
              "output_type": "stream",
              "text": [
               "c\n"
              ]
             },
             {
              "data": {
               "text/html": [
                "<div class=\"dni-plaintext\"><pre>1</pre></div>"
               ],
               "text/plain": [
                "1"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             },
             {
              "name": "stdout",
              "output_type": "stream",
              "text": [
               "d\n"
              ]
             }
            ]
            """, outputs);
    }

    [Fact]
    public async Task Display_returns_a_handle_whose_Update_replaces_that_output_even_from_a_later_cell()
    {
        var session = NewSession();
        var (_, first) = await session.RunAsync("var progress = display(\"epoch 1\");\nprogress.Update(\"epoch 2\");\ndisplay(HTML(\"<b>kept</b>\"));");
        await session.RunAsync("progress.Update(\"done\");");
        Assert.Equal("""
            [
             {
              "data": {
               "text/plain": [
                "done"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             },
             {
              "data": {
               "text/html": [
                "<b>kept</b>"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, SessionHarness.Json(first.ToJson()));
    }

    [Fact]
    public async Task A_cell_ending_in_display_shows_the_value_once_not_the_handle()
    {
        Assert.Equal("""
            [
             {
              "data": {
               "text/plain": [
                "shown"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, await NewSession().OutputsJsonAsync("display(\"shown\")"));
    }

    [Fact]
    public async Task Display_with_mime_types_writes_those_forms()
    {
        var session = NewSession();
        string outputs = await session.OutputsJsonAsync(
            "display(\"<svg/>\", \"image/svg+xml\");\ndisplay(new byte[] { 1, 2, 3 }, \"image/png\");\ndisplay(\"{\\\"a\\\": [1, 2.5]}\", \"application/json\");");
        Assert.Equal("""
            [
             {
              "data": {
               "image/svg+xml": [
                "<svg/>"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             },
             {
              "data": {
               "image/png": "AQID"
              },
              "metadata": {},
              "output_type": "display_data"
             },
             {
              "data": {
               "application/json": {
                "a": [
                 1,
                 2.5
                ]
               }
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, outputs);
    }

    [Fact]
    public async Task A_compile_error_reports_every_diagnostic_and_leaves_the_session_as_it_was()
    {
        var session = NewSession();
        await session.RunAsync("var x = 1;");
        var (result, outputs) = await session.RunAsync("x = 2;\nint y = \"text\";\nConsole.WriteLine(undefinedName);");
        Assert.Equal("""
            [
             {
              "ename": "CompilationError",
              "evalue": "(2,9): error CS0029: Cannot implicitly convert type 'string' to 'int'\n(3,19): error CS0103: The name 'undefinedName' does not exist in the current context",
              "output_type": "error",
              "traceback": [
               "(2,9): error CS0029: Cannot implicitly convert type 'string' to 'int'",
               "(3,19): error CS0103: The name 'undefinedName' does not exist in the current context"
              ]
             }
            ]
            """, SessionHarness.Json(outputs.ToJson()));
        Assert.Equal(2, result.Error!.Line);
        // The failed cell's "x = 2" never ran: the state is the one before it.
        Assert.Contains("\"1\"", await session.OutputsJsonAsync("x"));
    }

    [Fact]
    public async Task A_runtime_error_records_the_exception_and_the_line_and_keeps_earlier_effects()
    {
        var session = NewSession();
        await session.RunAsync("void Check(int n)\n{\n    if (n > 2) throw new InvalidOperationException($\"n is {n}\");\n}");
        var (result, outputs) = await session.RunAsync("var reached = 1;\nConsole.WriteLine(\"before\");\nCheck(3);\nreached = 2;");
        var error = result.Error!;
        Assert.Equal("System.InvalidOperationException", error.Name);
        Assert.Equal("n is 3", error.Value);
        Assert.Equal("System.InvalidOperationException: n is 3", error.Traceback[0]);
        Assert.Contains(error.Traceback, line => line.Contains("at Submission#0.Check(Int32 n) in session.ipynb#cell1:line 3"));
        Assert.DoesNotContain(error.Traceback, line => line.Contains("Microsoft.CodeAnalysis") || line.Contains(_dir.Path));
        // The innermost notebook frame is line 3 of the first cell, where Check threw.
        Assert.Equal((3, 0), (error.Line, error.LineCell));
        Assert.Equal("""["stream","error"]""", OutputTypes(outputs));
        Assert.Contains("\"1\"", await session.OutputsJsonAsync("reached"));
    }

    [Theory]
    [InlineData("#r \"nuget: Plotly.NET, 4.2.0\"", "(1,1): #r \"nuget: Plotly.NET, 4.2.0\" is not supported: the course's runner does not restore NuGet packages; reference the course library by its path instead, e.g. #r \"../artifacts/bin/CnnCourse/release/CnnCourse.dll\"")]
    [InlineData("var a = 1;\n#i \"nuget: https://example.org/feed\"", "(2,1): #i \"nuget: https://example.org/feed\" is not supported: the course's runner does not restore NuGet packages, so package sources (#i) mean nothing; reference assemblies by path with #r \"path/to/library.dll\"")]
    [InlineData("#!fsharp\nlet x = 1", "(1,1): #!fsharp switches to another kernel; the course's runner runs C# cells only")]
    [InlineData("#!whos", "(1,1): the magic command #!whos is not supported by the course's runner (it knows #!csharp, #!time and #!markdown)")]
    public async Task Unsupported_directives_fail_the_cell_saying_what_to_do(string source, string message)
    {
        var (result, outputs) = await NewSession().RunAsync(source);
        Assert.Equal("UnsupportedDirective", result.Error!.Name);
        Assert.Equal(message, result.Error.Value);
        Assert.Equal("""["error"]""", OutputTypes(outputs));
    }

    [Fact]
    public async Task A_cell_of_another_kernel_fails_naming_the_kernel()
    {
        var (result, _) = await NewSession().RunAsync("let x = 1", kernelName: "fsharp");
        Assert.Equal("(1,1): this cell runs in the 'fsharp' kernel; the course's runner runs C# cells only (set the cell's language to C#)", result.Error!.Value);
    }

    [Fact]
    public async Task Time_magic_displays_the_wall_time()
    {
        var (result, outputs) = await NewSession().RunAsync("#!time\nvar sum = Enumerable.Range(0, 10).Sum();");
        Assert.Null(result.Error);
        Assert.Matches("""^\[\s*\{\s*"data": \{\s*"text/plain": \[\s*"Wall time: \d+ ms"\s*\]""", SessionHarness.Json(outputs.ToJson()));
    }

    [Fact]
    public async Task Load_runs_a_script_relative_to_the_notebook()
    {
        File.WriteAllText(_dir.File("nb/helpers/math.csx"), "int Square(int x) => x * x;");
        var session = NewSession();
        var (result, _) = await session.RunAsync("#load \"helpers/math.csx\"");
        Assert.Null(result.Error);
        Assert.Contains("\"49\"", await session.OutputsJsonAsync("Square(7)"));
    }

    [Fact]
    public async Task A_dll_referenced_relative_to_the_notebook_loads_with_its_dependencies_from_its_folder()
    {
        // The test process's working directory is the test output folder, not the notebook's.
        string notebookDirectory = FixtureLibraries.NewNotebookDirectory();
        Assert.NotEqual(Path.GetFullPath(notebookDirectory), Path.GetFullPath(Environment.CurrentDirectory));
        var session = new SessionHarness(Path.Combine(notebookDirectory, "uses-library.ipynb"));
        var (reference, _) = await session.RunAsync("#r \"../lib/Fixture.Library.dll\"");
        Assert.Null(reference.Error);
        // Welcome.For calls into Fixture.Greetings.dll, which only the library's folder holds.
        Assert.Contains("\"Hello, Ada!\"", await session.OutputsJsonAsync("Fixture.Library.Welcome.For(\"Ada\")"));
    }

    [Fact]
    public async Task Types_with_a_TypeFormatterSourceAttribute_render_as_their_formatters_say()
    {
        var session = new SessionHarness(Path.Combine(FixtureLibraries.NewNotebookDirectory(), "charts.ipynb"));
        await session.RunAsync("#r \"../lib/Fixture.Charts.dll\"\nusing Fixture.Charts;");

        // PreferredMimeTypes (inherited from the base class's attribute): SVG and text only.
        var (_, chart) = await session.RunAsync("new LineChart(\"Loss\")");
        Assert.Equal(FixtureLibraries.LossChartOutput, SessionHarness.Json(Assert.Single(chart.ToJson())!));

        // No PreferredMimeTypes: every form the formatters write; PNG as base64.
        string png = Convert.ToBase64String(FixtureLibraries.PngBytes);
        Assert.Equal($$"""
            [
             {
              "data": {
               "image/png": "{{png}}",
               "text/plain": [
                "Image of 16 bytes"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, await session.OutputsJsonAsync("display(new Image(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 73, 72, 68, 82 }));"));

        // A MIME type asked for by name, here a JSON one: stored as JSON.
        Assert.Equal("""
            [
             {
              "data": {
               "application/vnd.plotly.v1+json": {
                "data": [
                 {
                  "y": [
                   1,
                   0.5
                  ]
                 }
                ],
                "layout": {
                 "title": "Acc"
                }
               }
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, await session.OutputsJsonAsync("display(new Figure(\"Acc\"), \"application/vnd.plotly.v1+json\");"));
    }

    [Fact]
    public async Task HTML_and_IHtmlContent_values_are_written_as_raw_HTML()
    {
        var session = new SessionHarness(Path.Combine(FixtureLibraries.NewNotebookDirectory(), "html.ipynb"));
        await session.RunAsync("#r \"../lib/Fixture.Html.dll\"");
        Assert.Equal("""
            [
             {
              "data": {
               "text/html": [
                "<span class=\"badge\">a &amp; b</span>"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             },
             {
              "data": {
               "text/html": [
                "<p>raw</p>"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, await session.OutputsJsonAsync("display(new Fixture.Html.Badge(\"a & b\"));\nHTML(\"<p>raw</p>\")"));
    }

    [Fact]
    public async Task Asking_for_a_mime_type_nothing_can_write_fails_the_cell()
    {
        var (result, _) = await NewSession().RunAsync("display(42, \"image/png\");");
        Assert.Equal("System.ArgumentException", result.Error!.Name);
        Assert.Equal("No formatter for MIME type image/png is known for a value of type System.Int32.", result.Error.Value);
    }

    [Fact]
    public async Task Sequences_and_plain_objects_show_like_the_kernels_plain_text()
    {
        var session = NewSession();
        Assert.Contains("\"[ 1, 2, 3 ]\"", await session.OutputsJsonAsync("new[] { 1, 2, 3 }"));
        Assert.Contains("\"[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 ... (5 more) ]\"", await session.OutputsJsonAsync("Enumerable.Range(0, 25)"));
        await session.RunAsync("class Box { public int Width { get; set; } = 3; public string Label { get; set; } = \"a<b\"; }");
        string box = await session.OutputsJsonAsync("new Box()");
        Assert.Contains("\"Box { Width: 3, Label: a<b }\"", box);
        Assert.Contains("<pre>Box { Width: 3, Label: a&lt;b }</pre>", box);
        Assert.Contains("\"0.5\"", await session.OutputsJsonAsync("0.5"));
    }

    private static string OutputTypes(CnnCourse.Notebooks.Ipynb.CellOutputs outputs) =>
        System.Text.Json.JsonSerializer.Serialize(outputs.ToJson().Select(o => o!["output_type"]!.GetValue<string>()));
}
