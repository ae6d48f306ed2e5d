namespace SmartSeal.FaceRecognition;

/// <summary>
/// The version of everything that shapes a template: the model files (models.sha256) and the
/// preprocessing recipe (DESIGN.md §8). Templates carry it; a gate ignores templates of another
/// version and the cloud asks for re-enrolment, because embeddings of two recipes are not comparable.
/// Change it whenever a model hash or a preprocessing step changes.
/// </summary>
public static class FaceRecipe
{
    public const string Version = "faceplugin-0.0.1/r1";
}
