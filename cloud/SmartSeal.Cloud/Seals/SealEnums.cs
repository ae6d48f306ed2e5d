using System.Text.Json;

namespace SmartSeal.Cloud.Seals;

public enum SealType
{
    Company,
    Finance,
    Contract,
    LegalRepresentative,
    Department,
    Project,
}

/// <summary>Where the seal physically is; the cabinet and lock orchestration keeps it current.</summary>
public enum SealLocationKind
{
    Unknown,
    Cabinet,
    Lock,
    Person,
}

/// <summary>Enum values as stored and shown: kebab-case ("legal-representative"), like the JSON API.</summary>
public static class Kebab
{
    public static string Of<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string text)
        where T : struct, Enum => TryParse(text, out T value) ? value : throw new FormatException($"unknown {typeof(T).Name} '{text}'");

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
