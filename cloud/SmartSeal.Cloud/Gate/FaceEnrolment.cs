namespace SmartSeal.Cloud.Gate;

/// <summary>An enrolment as the API shows it: never the templates themselves.</summary>
public sealed record FaceEnrolment(string Login, string Recipe, int Templates, string EnrolledBy, long EnrolledMs, long ExpiresMs, long? RevokedMs, string? RevokedBy)
{
    /// <summary>False when the gate's recipe changed since: the person must enrol again.</summary>
    public bool CurrentRecipe => Recipe == SmartSeal.FaceRecognition.FaceRecipe.Version;
}

/// <summary>One uploaded photo (its file name names it in a refusal).</summary>
public sealed record EnrolmentPhoto(string Name, byte[] Bytes);

/// <summary>What an enrolment cost: photos analysed and the pipeline time per photo.</summary>
public sealed record EnrolmentResult(FaceEnrolment Enrolment, double MsPerPhoto);
