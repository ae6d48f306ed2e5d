using Microsoft.Extensions.Options;
using SmartSeal.FaceRecognition;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// The gate's own pipeline (same library, same models, same recipe) run in the cloud for enrolment
/// photos, so a template made here and a probe made at the gate are comparable by construction.
/// Models load on first use (a cloud without them still runs; enrolment then answers 503). One
/// pipeline, used by one request at a time: enrolment is rare and the pipeline reuses buffers.
/// </summary>
public sealed class FaceEmbeddingService(IOptions<FaceOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FaceModels? _models;
    private FacePipeline? _pipeline;

    public async Task<T> UseAsync<T>(Func<FacePipeline, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_pipeline is null)
            {
                FaceOptions faces = options.Value;
                _models = FaceModels.Load(faces.ModelsFolder ?? FaceModels.DefaultFolder(), faces.ModelHashFile ?? FaceModels.DefaultHashFile());
                _pipeline = new FacePipeline(_models);
            }

            return work(_pipeline);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _models?.Dispose();
        _gate.Dispose();
    }
}
