namespace SmartSeal.Cloud.Gate;

/// <summary>Section <c>SmartSeal:Faces</c>: models, enrolment limits, template lifetime, gate set validity.</summary>
public sealed class FaceOptions
{
    public const string Section = "SmartSeal:Faces";

    /// <summary>Folder with the four ONNX models; null = the gate's default (<c>$SMARTSEAL_FACE_MODELS</c> or <c>.models/</c> in the repository).</summary>
    public string? ModelsFolder { get; set; }

    /// <summary>Hash list the models are checked against; null = <c>edge-face-gate/models.sha256</c>.</summary>
    public string? ModelHashFile { get; set; }

    public int MinPhotos { get; set; } = 2;

    public int MaxPhotos { get; set; } = 10;

    public int MaxPhotoBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>An enrolment expires after this (the person enrols again); the API may ask for less.</summary>
    public int TemplateLifetimeDays { get; set; } = 365;

    /// <summary>A gate stops using a template set this long after it was issued if it cannot sync again.</summary>
    public int GateSetValidityMinutes { get; set; } = 15;
}
