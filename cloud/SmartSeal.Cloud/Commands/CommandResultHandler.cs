using Dapper;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Ingest (domain stage, in the batch transaction): a device's <c>cmd-result</c> settles its
/// command as <c>ok</c> or <c>refused</c> with the device's reason and detail. Only the device the
/// command was for can settle it. A result that arrives after the sweep called the command expired
/// still wins: the device's word on what it did is the truth.
/// </summary>
public sealed class CommandResultHandler(ILogger<CommandResultHandler> logger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach ((IngestItem item, CommandResultBody result) in batch.Stored<CommandResultBody>())
        {
            string? reason = result.Ok ? null : WireNames.RefusalReasons[(int)result.Reason];
            int rows = await batch.Connection!.ExecuteAsync(
                """
                UPDATE commands SET status = @status, result_reason = @reason, result_detail = @Detail, completed_ms = @now
                WHERE id = @CommandId AND device_id = @deviceId AND status IN (@queued, @sent, @expired)
                """,
                new
                {
                    status = result.Ok ? CommandStatus.Ok : CommandStatus.Refused, reason, result.Detail, now = batch.ServerMs,
                    result.CommandId, deviceId = item.DeviceId, queued = CommandStatus.Queued, sent = CommandStatus.Sent, expired = CommandStatus.Expired,
                },
                batch.Transaction);
            if (rows == 0)
            {
                logger.LogInformation("Result for unknown or already settled command {Command} from {Device}", result.CommandId, item.DeviceId);
            }
        }
    }
}
