// The course's prelude. Every notebook's second code cell is `#load "prelude.csx"`, right after its
// parameters cell (which declares Quick, Device and RandomSeed, read here). It references the course
// library, imports what the lessons use, seeds and resolves the device. The usings are `global`: the
// C# kernel passes a loaded file's plain usings to no later cell, its global ones to every later cell.
// `./course export` writes this file's text into each app, in place of the #load.
#r "../artifacts/bin/CnnCourse/release/CnnCourse.dll"
global using TorchSharp;
global using TorchSharp.Modules;
global using static TorchSharp.torch;
global using CnnCourse.Analysis;
global using CnnCourse.Data;
global using CnnCourse.Data.Transforms;
global using CnnCourse.Diagnostics;
global using CnnCourse.Engine;
global using CnnCourse.Models;
global using CnnCourse.Runtime;
global using CnnCourse.Training;
global using CnnCourse.Visualization;
global using static CnnCourse.Runtime.Lesson;          // Check, Shape, ParameterCount, ToGrid: the library's lesson helpers
global using DataLoader = CnnCourse.Data.DataLoader;   // TorchSharp.Modules has a DataLoader too

// The kernel's own display() (1.0.712001) returns a handle whose Update names an output id other than
// the shown one, so every live display (training progress) would gain a second output. This one shows
// and updates the same output, in VS Code, Jupyter and `course run` alike.
Microsoft.DotNet.Interactive.Formatting.DisplayedValue display(object value, params string[] mimeTypes) =>
    Microsoft.DotNet.Interactive.KernelInvocationContextExtensions.Display(Microsoft.DotNet.Interactive.KernelInvocationContext.Current, value, mimeTypes);

// The prelude (notebooks/prelude.csx): seeds every random generator from RandomSeed, resolves Device ("auto": CUDA where available).
var device = Lesson.Start(RandomSeed, Device);
Console.WriteLine($"device: {device}, libtorch threads: {torch.get_num_threads()}, logical cores: {Environment.ProcessorCount}");
