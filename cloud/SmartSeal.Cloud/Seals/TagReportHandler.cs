using System.Globalization;
using Dapper;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Seals;

/// <summary>
/// A device's tag report (the answer to an inventory check's request, or sent on its own) becomes
/// observations of the open check it names — or of every open check when it names none — with the
/// device as the source, in the ingest transaction. The check's comparison then shows each seal
/// as found where the register says, found elsewhere, missing, or unexpected. A report whose
/// arrays disagree is kept in the device records and refused here, loudly.
/// </summary>
public sealed class TagReportHandler(ILogger<TagReportHandler> logger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach ((IngestItem item, TagReportBody report) in batch.Stored<TagReportBody>())
        {
            if (report.Slots.Length != report.Tags.Length)
            {
                logger.LogWarning("Tag report {Device}/{Seq} has {Slots} slots but {Tags} tags: not used", item.DeviceId, item.Envelope.Seq, report.Slots.Length, report.Tags.Length);
                continue;
            }

            long? named = long.TryParse(report.CheckId, NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? id : null;
            long[] checks = (await batch.Connection!.QueryAsync<long>(
                "SELECT id FROM inventory_checks WHERE closed_ms IS NULL" + (named is null ? string.Empty : " AND id = @named"), new { named }, batch.Transaction)).ToArray();
            foreach (long check in checks)
            {
                foreach (string tag in report.Tags)
                {
                    await batch.Connection!.ExecuteAsync(
                        "INSERT INTO inventory_observations (check_id, rfid_tag, source, at_ms) VALUES (@check, @tag, @source, @at) ON CONFLICT DO NOTHING",
                        new { check, tag = tag.ToUpperInvariant(), source = item.DeviceId, at = item.Envelope.Time }, batch.Transaction);
                }
            }

            if (report.Unreadable is { Length: > 0 } unreadable)
            {
                logger.LogWarning("{Device} cannot read the tags of slot(s) {Slots}: check them by hand", item.DeviceId, string.Join(", ", unreadable));
            }
        }
    }
}
