namespace SmartSeal.Portability;

/// <summary>One use of something nanoFramework does not have, at a source location.</summary>
public sealed record Violation(string File, int Line, string Symbol, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Symbol} ({Reason})";
}
