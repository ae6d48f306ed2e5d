using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// Records the edge gates' signed face-match decisions in the ingest transaction. A decision
/// counts only from a registered gate about a registered cabinet; one from any other device is
/// kept as evidence, not accepted, and raises a forged-message alarm on the sender. Matching the
/// subject to an approved application and dispensing is the cabinet orchestration's job.
/// </summary>
public sealed class GateDecisionHandler(DeviceCache devices, AlarmService alarms, Ledger.LedgerService ledger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach ((IngestItem item, FaceMatchBody match) in batch.Stored<FaceMatchBody>())
        {
            string? reason = null;
            if (item.Device!.Kind != DeviceKind.Gate)
            {
                reason = $"sent by a {item.Device.Kind.ToString().ToLowerInvariant()}, not a gate";
                await alarms.RaiseAsync(item.DeviceId!, AlarmTypes.ForgedMessage, 0, "face-match " + reason, batch.Connection, batch.Transaction, cancellationToken);
            }
            else if (await devices.FindAsync(match.CabinetId, cancellationToken) is not { Kind: DeviceKind.Cabinet, Retired: false })
            {
                reason = $"no cabinet {match.CabinetId}";
            }
            else if (await GateStore.CabinetOfAsync(item.DeviceId!, batch.Connection!, batch.Transaction) is { } assigned && assigned != match.CabinetId)
            {
                // A gate placed at one cabinet (GateTemplateService) must not open another.
                reason = $"gate stands at {assigned}, not {match.CabinetId}";
            }

            await GateStore.RecordDecisionAsync(item.DeviceId!, item.Envelope.Seq, item.Envelope.Time, batch.ServerMs, match, reason, batch.Connection!, batch.Transaction!);

            // Every decision, accepted or not, on the gate's own chain with its capture photo.
            await ledger.AppendAsync(
                [new Ledger.LedgerEntry
                {
                    SealId = "device:" + item.DeviceId, Kind = "face-match", AtMs = item.Envelope.Time, DeviceId = item.DeviceId, Actor = match.Subject,
                    Source = $"evt:{item.DeviceId}:{item.Envelope.Seq}",
                    Fields = new Dictionary<string, string>
                    {
                        ["cabinet"] = match.CabinetId, ["subject"] = match.Subject, ["score"] = match.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["margin"] = match.Margin.ToString(System.Globalization.CultureInfo.InvariantCulture), ["liveness"] = match.Liveness.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["photo"] = match.PhotoId ?? string.Empty, ["accepted"] = reason == null ? "true" : "false", ["reason"] = reason ?? string.Empty,
                    },
                }],
                batch.Connection!, batch.Transaction!, cancellationToken);
        }
    }
}
