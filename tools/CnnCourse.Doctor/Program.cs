using CnnCourse.Diagnostics;

// Prints every check; exits 1 with one actionable sentence per problem.
var checks = EnvironmentReport.Collect();
int width = checks.Max(c => c.Name.Length);
foreach (var check in checks)
    Console.WriteLine($"{(check.IsProblem ? "!!" : "  ")} {check.Name.PadRight(width)}  {check.Value}");

var problems = checks.Where(c => c.IsProblem).ToList();
foreach (var problem in problems)
    Console.Error.WriteLine($"doctor: {problem.Name}: {problem.Fix ?? problem.Value}");
return problems.Count == 0 ? 0 : 1;
