using CnnCourse.Diagnostics;

// `./course doctor`: prints every check (the engine's facts from TorchRuntime.Describe among them);
// exits 1 with one actionable sentence per problem.
return EnvironmentReport.Run(Console.Out, Console.Error);
