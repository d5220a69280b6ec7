using CnnCourse.Diagnostics;

// `./course doctor`: prints every check; exits 1 with one actionable sentence per problem.
return EnvironmentReport.Run(Console.Out, Console.Error);
