namespace SmartSeal.FaceRecognition;

/// <summary>Why a frame gave no usable face. Any value but <see cref="None"/> means no match and no dispense.</summary>
public enum FaceRefusal
{
    None,
    NotAnImage,
    ImageTooSmall,
    NoFace,
    SeveralFaces,
    FaceTooSmall,
    Blurred,
    Pose,
    /// <summary>Too dark, too bright or clipped (checked for enrolment photos).</summary>
    Exposure,
}
