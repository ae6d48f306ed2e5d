namespace SmartSeal.Cloud.Organisation;

/// <summary>What a password must be: long enough and not the login name.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;

    /// <summary>The reasons a password is refused; empty when it is acceptable.</summary>
    public static string[] Check(string login, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return ["is required"];
        }

        var problems = new List<string>();
        if (password.Length < MinLength)
        {
            problems.Add($"must be at least {MinLength} characters");
        }

        if (password.Contains(login, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("must not contain the login name");
        }

        if (password.Distinct().Count() < 4)
        {
            problems.Add("must not repeat so few characters");
        }

        return [.. problems];
    }
}
