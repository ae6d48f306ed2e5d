namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>The gate's choice options (--detector, --embedder): a wrong choice is a usage error naming the choices, exit code 4, no stack trace.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CommandLineChoiceTests
{
    [Theory]
    [InlineData("--detector", "bogus", "--detector bogus: use yunet or ultralight")]
    [InlineData("--embedder", "x", "--embedder x: use dlib or mobilefacenet")]
    public async Task A_wrong_choice_is_refused_with_the_choices_and_no_stack_trace(string option, string value, string message)
    {
        TextWriter original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            Assert.Equal(4, await GateProgram.Main(["check-models", option, value]));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains($"gate: {message}", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
