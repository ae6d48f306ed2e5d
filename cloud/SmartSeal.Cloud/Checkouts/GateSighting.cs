namespace SmartSeal.Cloud.Checkouts;

/// <summary>What a face gate saw when it asked for a dispense: which gate event, who, how sure (scores x 10000), the capture photo.</summary>
public sealed record GateSighting(string GateId, long Seq, string Subject, long Score, long Liveness, string? PhotoId);
