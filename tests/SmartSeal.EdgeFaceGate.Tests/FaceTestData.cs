global using Xunit.Abstractions;
using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>
/// The sample faces (../shared/data/faces) and the models (scripts/setup.sh). Missing models fail the
/// test with the fix; missing ../shared fails too, unless SMARTSEAL_ALLOW_MISSING_SHARED=1, in which
/// case the test says it was skipped.
/// </summary>
public sealed class FaceTestData : IDisposable
{
    private readonly Lazy<FaceModels> _models = new(() =>
    {
        try
        {
            return FaceModels.LoadDefault();
        }
        catch (FaceModelException ex)
        {
            Assert.Fail($"{ex.Message}. Run scripts/setup.sh (it fetches and checks the models).");
            throw;
        }
    });

    private FacePipeline? _pipeline;

    public static string FacesFolder =>
        Path.GetFullPath(Path.Combine(FaceModels.RepositoryRoot(), "..", "shared", "data", "faces"));

    public static string Face(string relative) => Path.Combine(FacesFolder, relative);

    /// <summary>The pipeline, or null when the test should stop because ../shared is missing (after saying so).</summary>
    public FacePipeline? PipelineOrSkip(ITestOutputHelper output)
    {
        if (!Directory.Exists(FacesFolder))
        {
            string message = $"SKIPPED: {FacesFolder} is missing, so the face tests did not run.";
            if (Environment.GetEnvironmentVariable("SMARTSEAL_ALLOW_MISSING_SHARED") == "1")
            {
                output.WriteLine(message);
                return null;
            }

            Assert.Fail(message + " Put ../shared beside the repository or set SMARTSEAL_ALLOW_MISSING_SHARED=1.");
        }

        return _pipeline ??= new FacePipeline(_models.Value);
    }

    public void Dispose()
    {
        if (_models.IsValueCreated)
        {
            _models.Value.Dispose();
        }
    }
}
