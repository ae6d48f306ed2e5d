namespace SmartSeal.Cloud.Ledger;

/// <summary>An entry as reports count it: chain, kind, time and (when asked for) the payload (<see cref="LedgerReader.EventsAsync"/>).</summary>
public sealed record LedgerEvent(string SealId, string Kind, long AtMs, string Payload);
