namespace SmartSeal.Cloud.Commands;

public enum CommandSendStatus
{
    Accepted,
    UnknownDevice,
    RetiredDevice,
}

/// <summary>What became of a request to send a command: the stored command, or why there is none.</summary>
public sealed record CommandSendResult(CommandSendStatus Status, CommandRecord? Command)
{
    public static readonly CommandSendResult Unknown = new(CommandSendStatus.UnknownDevice, null);

    public static readonly CommandSendResult Retired = new(CommandSendStatus.RetiredDevice, null);
}
