// The course's prelude. Every notebook's second code cell is `#load "prelude.csx"`, right after its
// parameters cell, which declares Quick, Device and RandomSeed (read here). It references the course
// library, imports what the lessons use (`global using`: the directives of a loaded file reach the
// cells after it only so), seeds every generator from RandomSeed and resolves Device ("auto": CUDA
// where available, else the CPU) into `device`. Check, Shape, ParameterCount and ToGrid are the
// library's (CnnCourse.Runtime.Lesson). `./course export` writes this file into each app in its place.
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
global using static CnnCourse.Runtime.Lesson;
global using DataLoader = CnnCourse.Data.DataLoader;   // TorchSharp.Modules has a DataLoader too

var device = Lesson.Start(RandomSeed, Device);
Console.WriteLine($"device: {device}, libtorch threads: {torch.get_num_threads()}, logical cores: {Environment.ProcessorCount}");
