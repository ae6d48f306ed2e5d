
namespace SmartSeal.Cloud.Checkouts;

/// <summary>A compartment told to open for a seal's return (or first stowing): the command to follow.</summary>
public sealed record CabinetOpening(string SealId, string CabinetId, int Compartment, string CommandId, string CommandStatus);
