using Xunit.Abstractions;
using Xunit.Sdk;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// A theory over the course's notebooks that has no test cases, rather than one failing case, while
/// <c>notebooks/</c> is empty. (xunit 2 turns a theory whose data is empty into a failing
/// "No data found" test; a placeholder notebook to avoid that would be dishonest.)
/// </summary>
[XunitTestCaseDiscoverer("CnnCourse.Notebooks.Tests.Support.NotebookTheoryDiscoverer", "CnnCourse.Notebooks.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class NotebookTheoryAttribute : TheoryAttribute;

public sealed class NotebookTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
    {
        if (CourseNotebooks.Find().Count == 0)
        {
            DiagnosticMessageSink.OnMessage(new DiagnosticMessage(
                $"{testMethod.TestClass.Class.Name}.{testMethod.Method.Name}: no notebooks in {CourseNotebooks.Directory}, so no test cases"));
            return [];
        }
        return base.Discover(discoveryOptions, testMethod, theoryAttribute);
    }
}
