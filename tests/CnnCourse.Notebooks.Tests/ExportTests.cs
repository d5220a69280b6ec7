using CnnCourse.Notebooks.Cli;
using CnnCourse.Notebooks.Export;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>A notebook as a .NET 10 file-based app (<c>export</c>): known notebooks in, known app text out.</summary>
public sealed class ExportTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static readonly AppLayout Layout = new("01-lesson.cs", "../../lib/CnnCourse/CnnCourse.csproj", "../../notebooks", "notebooks/01-lesson.ipynb");

    private static string Export(NotebookBuilder builder) =>
        AppExporter.Export(Notebook.Parse("notebooks/01-lesson.ipynb", NotebookJson.Serialize(builder.ToJson())), Layout);

    private static AppExportException ExportFails(NotebookBuilder builder) =>
        Assert.Throws<AppExportException>(() => Export(builder));

    /// <summary>The lesson cells the course's notebooks have, in small: every translation at once.</summary>
    private static NotebookBuilder Lesson() => new NotebookBuilder()
        .Markdown("# 01 · A lesson\n\nIt teaches *one* thing.\n")
        .Parameters("var Quick = false;   // quick mode\nvar Epochs = 5;\ndouble LearningRate = 1;\nvar Device = \"auto\";")
        .Code("#r \"../artifacts/bin/CnnCourse/release/CnnCourse.dll\"\nusing System.Text.Json;\nusing " +
            "CnnCourse.Training;\n\nvar total = Epochs * 2;\nrecord Point(int X, int Y);\ntotal")
        .Markdown("## Training")
        .Code("using System.Text.Json;   // again\nvar trainer = new Trainer(net) { Progress = Progress.Notebook(x => display(x)) };\n" +
              "foreach (var total in new[] { 1, 2 })\n    display(total);\n$\"{Device}: {total}\"");

    [Fact]
    public void A_lesson_becomes_a_file_based_app()
    {
        Assert.Equal("""
            // 01-lesson.cs: the lesson notebooks/01-lesson.ipynb as a .NET file-based app, written by
            // `./course export`: edit the notebook, not this file. In this file's folder:
            //   dotnet run 01-lesson.cs -- --Quick true
            // Parameters: Quick, Epochs, LearningRate, Device, given as --NAME VALUE after `--` (`-- --help` lists them).
            // Where the notebook shows a value (display(...), a cell's last expression), the app prints its text.
            #:project ../../lib/CnnCourse/CnnCourse.csproj
            #:property ImplicitUsings=disable
            #:property Nullable=disable
            #:property TreatWarningsAsErrors=false
            #:property PublishAot=false

            // The notebook kernel's default usings, then the notebook's own.
            using System;
            using System.Text;
            using System.Collections;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using System.Linq;
            using System.Text.Json;
            using CnnCourse.Training;
            using CnnCourse.Apps;
            using static CnnCourse.Apps.NotebookFunctions;   // the kernel's display(...) and HTML(...), written as text

            // Runs in the notebook's folder, as the notebook did; the parameters come from the command line.
            var app = NotebookApp.Start(args, notebookFolder: "../../notebooks");

            // # 01 · A lesson
            //
            // It teaches *one* thing.

            // Parameters (the notebook's parameters cell): each default can be replaced on the command line, --NAME VALUE.
            var Quick = app.Parameter("Quick", false);   // quick mode
            var Epochs = app.Parameter("Epochs", 5);
            double LearningRate = app.Parameter<double>("LearningRate", 1);
            var Device = app.Parameter("Device", "auto");
            app.CheckParameters();

            var total = Epochs * 2;
            display(total);

            // ## Training

            var trainer = new Trainer(net) { Progress = Progress.Auto() };
            foreach (var total2 in new[] { 1, 2 })
                display(total2);
            display($"{Device}: {total}");

            // Types declared in the notebook's cells: a program declares them after its top-level statements.

            record Point(int X, int Y);

            """, Export(Lesson()));
    }

    [Fact]
    public void Without_a_parameters_cell_the_app_takes_no_parameters()
    {
        string app = Export(new NotebookBuilder().Code("Console.WriteLine(1);"));
        Assert.Contains("var app = NotebookApp.Start(args, notebookFolder: \"../../notebooks\");\napp.CheckParameters();\n\nConsole.WriteLine(1);\n", app);
        Assert.DoesNotContain("// Parameters:", app);
        Assert.Contains("//   dotnet run 01-lesson.cs\n", app);
    }

    [Fact]
    public void The_apps_variable_takes_a_name_the_notebook_does_not_use()
    {
        string app = Export(new NotebookBuilder().Parameters("var Quick = false;").Code("var app = \"mine\";\napp"));
        Assert.Contains("var notebookApp = NotebookApp.Start(args", app);
        Assert.Contains("var Quick = notebookApp.Parameter(\"Quick\", false);\nnotebookApp.CheckParameters();", app);
        Assert.Contains("var app = \"mine\";\ndisplay(app);", app);
    }

    [Fact]
    public void Parameters_keep_their_declared_types_and_values_the_command_line_cannot_give_stay_as_written()
    {
        string app = Export(new NotebookBuilder().Parameters(
            "var Steps = 10L;\nfloat Scale = 1;\nvar Budget = -2.5m;\nstring Name = null;\nvar Sizes = new[] { 1, 2 };\nvar Twice = Steps * 2;"));
        Assert.Contains("""
            var Steps = app.Parameter("Steps", 10L);
            float Scale = app.Parameter<float>("Scale", 1);
            var Budget = app.Parameter("Budget", -2.5m);
            string Name = app.Parameter<string>("Name", null);
            var Sizes = new[] { 1, 2 };
            var Twice = Steps * 2;
            app.CheckParameters();
            """, app);
        Assert.Contains("// Parameters: Steps, Scale, Budget, Name, given as --NAME VALUE", app);
    }

    [Fact]
    public void Script_methods_become_local_functions_and_types_move_to_the_end_in_order()
    {
        string app = Export(new NotebookBuilder()
            .Code("enum Kind { A, B }\nstatic int Twice(int x) => 2 * x;\nclass Box { public int Size; }")
            .Code("interface IShape { }\nConsole.WriteLine(Twice(2));"));
        Assert.Contains("static int Twice(int x) => 2 * x;\n\nConsole.WriteLine(Twice(2));\n", app);
        Assert.EndsWith("\nenum Kind { A, B }\n\nclass Box { public int Size; }\n\ninterface IShape { }\n", app);
    }

    [Fact]
    public void A_nested_local_named_like_a_top_level_variable_is_renamed_in_its_scope_only()
    {
        string app = Export(new NotebookBuilder()
            .Code("var net = 1;\nvar s = 2;")
            .Code("""
                foreach (var (name, net) in new[] { ("a", 3) })
                    Console.WriteLine(net + name.Length);
                for (int i = 0; i < 1; i++)
                {
                    using var s = new System.IO.MemoryStream();
                    Console.WriteLine(s.Length + net2.Length);
                    Func<int, int> f = net => net + 1;
                }
                if (net is int net3) Console.WriteLine(new { s = net3 }.s);
                Console.WriteLine(net + s);
                """));
        Assert.Contains("""
            foreach (var (name, net4) in new[] { ("a", 3) })
                Console.WriteLine(net4 + name.Length);
            for (int i = 0; i < 1; i++)
            {
                using var s2 = new System.IO.MemoryStream();
                Console.WriteLine(s2.Length + net2.Length);
                Func<int, int> f = net => net + 1;
            }
            if (net is int net3) Console.WriteLine(new { s = net3 }.s);
            Console.WriteLine(net + s);
            """, app);
    }

    [Theory]
    [InlineData("#!time\nvar x = 1;",
        "notebooks/01-lesson.ipynb: cell 1: line 1: #!time: a notebook magic; a file-based app has no equivalent (take it out of the cell)")]
    [InlineData("var x = 1;\n#r \"nuget: Newtonsoft.Json, 13.0.3\"",
                "notebooks/01-lesson.ipynb: cell 1: line 2: #r \"nuget: Newtonsoft.Json, 13.0.3\": an exported app references " +
                    "only the course library (through #:project); reference other packages or assemblies from it instead")]
    [InlineData("#load \"helpers.csx\"", "notebooks/01-lesson.ipynb: cell 1: line 1: #load \"helpers.csx\": the file does not exist")]
    [InlineData("#i \"nuget: https://example.org/feed\"",
        "notebooks/01-lesson.ipynb: cell 1: line 1: #i \"nuget: https://example.org/feed\": a notebook kernel directive; a file-based app has no equivalent")]
    [InlineData("var x = ;", "notebooks/01-lesson.ipynb: cell 1: the code does not parse as C# (line 1, column 9: Invalid expression term ';')")]
    [InlineData("public int Size { get; set; }",
        "notebooks/01-lesson.ipynb: cell 1: a property (Size) at the top level of a cell " +
        "has no place in a program's top-level statements; move it into a type")]
    [InlineData("public static int Twice(int x) => 2 * x;",
        "notebooks/01-lesson.ipynb: cell 1: 'public' on the method Twice: in a program it becomes a local function, which takes only static, async or unsafe")]
    public void What_has_no_file_based_app_equivalent_is_an_error_naming_the_notebook_and_cell(string source, string message) =>
        Assert.Equal(message, ExportFails(new NotebookBuilder().Code(source)).Message);

    [Fact]
    public void A_loaded_script_the_prelude_is_inlined_in_place_of_its_load()
    {
        File.WriteAllText(dir.File("notebooks/prelude.csx"), """
            // The prelude.
            #r "../artifacts/bin/CnnCourse/release/CnnCourse.dll"
            global using TorchSharp;
            global using static CnnCourse.Runtime.Lesson;   // Check, Shape
            global using DataLoader = CnnCourse.Data.DataLoader;
            #load "more.csx"

            // Seeds and resolves the device.
            var device = Lesson.Start(RandomSeed, Device);
            """);
        File.WriteAllText(dir.File("notebooks/more.csx"), "global using System.IO;\n");
        string notebook = new NotebookBuilder()
            .Parameters("var Quick = false;\nvar Device = \"auto\";\nvar RandomSeed = 0;")
            .Code("#load \"prelude.csx\"")
            .Code("Check(device is not null, \"a device\");")
            .Write(dir.File("notebooks/01-lesson.ipynb"));
        string app = AppExporter.Export(Notebook.Load(notebook), Layout);

        Assert.Contains("""
            using System.Linq;
            using TorchSharp;
            using static CnnCourse.Runtime.Lesson;   // Check, Shape
            using DataLoader = CnnCourse.Data.DataLoader;
            using System.IO;
            using CnnCourse.Apps;
            """, app);
        Assert.DoesNotContain("global using", app);
        Assert.DoesNotContain("#r", app);
        Assert.DoesNotContain("#load", app);
        Assert.Contains("""
            app.CheckParameters();

            // Seeds and resolves the device.
            var device = Lesson.Start(RandomSeed, Device);

            Check(device is not null, "a device");
            """, app);

        File.WriteAllText(dir.File("notebooks/more.csx"), "#load \"prelude.csx\"\n");
        Assert.EndsWith("01-lesson.ipynb: cell 2: more.csx, line 1: #load \"prelude.csx\": the loads go round (prelude.csx → more.csx → prelude.csx)",
            Assert.Throws<AppExportException>(() => AppExporter.Export(Notebook.Load(notebook), Layout)).Message);
    }

    [Fact]
    public void A_variable_declared_again_in_a_later_cell_is_an_error()
    {
        var e = ExportFails(new NotebookBuilder().Code("var lr = 0.1;").Markdown("text").Code("var lr = 0.2;"));
        Assert.Equal("notebooks/01-lesson.ipynb: cell 3: 'lr' is declared again (cell 1 declares it already): the kernel allows that, " +
                     "a program's top-level statements do not; give one of them another name", e.Message);
        Assert.Contains("'args' is declared again (the app's own code declares it)", ExportFails(new NotebookBuilder().Code("var args = 1;")).Message);
    }

    [Fact]
    public void A_cell_in_another_kernel_is_an_error_and_a_markdown_kernel_cell_a_comment()
    {
        Assert.Equal("notebooks/01-lesson.ipynb: cell 2: the cell runs in the 'fsharp' kernel; an exported app is C# only",
            ExportFails(new NotebookBuilder().Code("var x = 1;").CodeIn("fsharp", "let x = 1")).Message);
        Assert.Contains("\n// Some **notes**.\n", Export(new NotebookBuilder().CodeIn("markdown", "Some **notes**.")));
    }

    [Fact]
    public void An_injected_parameters_cell_is_left_out_the_defaults_stay()
    {
        string app = Export(new NotebookBuilder().Parameters("var Epochs = 5;").Code("// injected\nvar Epochs = 1;", "injected-parameters"));
        Assert.Contains("var Epochs = app.Parameter(\"Epochs\", 5);", app);
        Assert.DoesNotContain("injected", app);
    }

    [Fact]
    public void Export_writes_an_app_per_notebook_whose_project_path_is_relative_to_the_app()
    {
        File.WriteAllText(dir.File("lib/CnnCourse/CnnCourse.csproj"), "<Project />");
        string notebook = Lesson().Write(dir.File("notebooks/01-lesson.ipynb"));
        new NotebookBuilder().Code("#!time\n1").Write(dir.File("notebooks/02-bad.ipynb"));
        var results = NotebookExport.ExportAll([notebook, dir.File("notebooks/02-bad.ipynb")], dir.File("artifacts/apps"));

        Assert.Equal(Path.Combine(dir.Path, "artifacts", "apps", "01-lesson.cs"), results[0].WrittenTo);
        string app = File.ReadAllText(results[0].WrittenTo!);
        Assert.Contains("\n#:project ../../lib/CnnCourse/CnnCourse.csproj\n", app);
        Assert.Contains("NotebookApp.Start(args, notebookFolder: \"../../notebooks\");", app);
        Assert.StartsWith("// 01-lesson.cs: the lesson notebooks/01-lesson.ipynb as a .NET file-based app", app);
        Assert.False(results[1].Succeeded);
        Assert.EndsWith("02-bad.ipynb: cell 1: line 1: #!time: a notebook magic; a file-based app has no equivalent (take it out of the cell)",
            results[1].Problem);
        Assert.False(File.Exists(dir.File("artifacts/apps/02-bad.cs")));

        // Elsewhere, and with the project named: the paths follow.
        string elsewhere = NotebookExport.ExportOne(notebook, dir.File("out/deeper/apps"), dir.File("lib/CnnCourse/CnnCourse.csproj"));
        Assert.Contains("\n#:project ../../../lib/CnnCourse/CnnCourse.csproj\n", File.ReadAllText(elsewhere));
    }

    [Fact]
    public void Outside_the_course_repository_the_project_must_be_named()
    {
        string notebook = Lesson().Write(dir.File("loose/01-lesson.ipynb"));
        var e = Assert.Throws<AppExportException>(() => NotebookExport.ExportOne(notebook, dir.File("apps")));
        Assert.Contains("no lib/CnnCourse/CnnCourse.csproj in a folder above the notebook: name the course library's project with --project", e.Message);
    }

    [Fact]
    public void The_command_line_takes_notebooks_an_output_folder_and_a_project()
    {
        var command = Assert.IsType<ExportCommand>(CommandLine.Parse(["export", "a.ipynb", "--output", "apps", "--project", "lib/X.csproj"]));
        Assert.Equal(["a.ipynb"], command.Notebooks);
        Assert.Equal("apps", command.OutputDirectory);
        Assert.Equal("lib/X.csproj", command.Project);
        Assert.Equal("export needs --output DIR", Assert.Throws<UsageException>(() => CommandLine.Parse(["export", "a.ipynb"])).Message);
        Assert.Equal("--output apps: two notebooks are named a",
            Assert.Throws<UsageException>(() => CommandLine.Parse(["export", "x/a.ipynb", "y/a.ipynb", "-o", "apps"])).Message);
        Assert.Contains("export [notebook.ipynb | folder ...] --output DIR", CommandLine.Usage);
    }

    [Fact]
    public void The_command_writes_the_apps_and_fails_when_one_cannot_be_exported()
    {
        File.WriteAllText(dir.File("lib/CnnCourse/CnnCourse.csproj"), "<Project />");
        Lesson().Write(dir.File("notebooks/01-lesson.ipynb"));
        var (exitCode, stdout, _) = RunnerHarness.RunCli(dir.Path, "export", "notebooks", "--output", "artifacts/apps");
        Assert.True(exitCode == 0, stdout);
        Assert.Contains("notebooks/01-lesson.ipynb -> artifacts/apps/01-lesson.cs", stdout);
        Assert.Contains("1 notebook exported: 1 written, 0 failed", stdout);

        new NotebookBuilder().Code("#!time\n1").Write(dir.File("notebooks/02-bad.ipynb"));
        (exitCode, stdout, _) = RunnerHarness.RunCli(dir.Path, "export", "notebooks", "--output", "artifacts/apps");
        Assert.Equal(1, exitCode);
        Assert.Contains("error: notebooks/02-bad.ipynb: cell 1: line 1: #!time", stdout);
        Assert.Contains("2 notebooks exported: 1 written, 1 failed", stdout);
    }
}
