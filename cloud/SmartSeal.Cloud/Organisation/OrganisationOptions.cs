namespace SmartSeal.Cloud.Organisation;

/// <summary><c>SmartSeal:Organisation</c>: sign-in tokens and lockout.</summary>
public sealed class OrganisationOptions
{
    public const string Section = "SmartSeal:Organisation";

    /// <summary>How long a sign-in token is valid.</summary>
    public int TokenHours { get; set; } = 12;

    /// <summary>Consecutive wrong passwords that lock an account.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;
}
