using System.Globalization;
using System.Threading.Channels;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// Turns an edge gate's accepted face match into a dispense: the recognised applicant's approved
/// collection of a seal in that gate's cabinet. Runs off the ingest path (its own queue) after the
/// decision is committed. A decision older than <see cref="MaxDecisionAge"/> is not acted on: the
/// person has walked away. A crash between commit and dispatch loses only the dispatch: the
/// applicant is recognised again when they look at the camera.
/// </summary>
public sealed class GateDispatcher(DeviceEventFeed feed, Database database, CheckoutService checkouts, TimeProvider time, ILogger<GateDispatcher> logger)
    : BackgroundService
{
    public static readonly TimeSpan MaxDecisionAge = TimeSpan.FromSeconds(60);

    private const string IssuerPrefix = "gate:";

    private readonly Channel<DeviceEvent> _decisions = Channel.CreateBounded<DeviceEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        feed.Stored += OnStored;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        feed.Stored -= OnStored;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (DeviceEvent decision in _decisions.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await DispatchAsync(decision, (FaceMatchBody)decision.Body, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not act on face match {Gate}/{Seq}", decision.DeviceId, decision.Seq);
            }
        }
    }

    /// <summary>Who a dispense for a face match is issued by (the use token's <c>IssuedBy</c>): <c>gate:{id}:{seq}</c>.</summary>
    public static string IssuerOf(string gateId, long seq) => string.Create(CultureInfo.InvariantCulture, $"{IssuerPrefix}{gateId}:{seq}");

    /// <summary>The gate and decision a token was issued for, when a face match asked for it.</summary>
    public static bool TryParseIssuer(string? issuedBy, out string gateId, out long seq)
    {
        gateId = string.Empty;
        seq = 0;
        if (issuedBy is null || !issuedBy.StartsWith(IssuerPrefix, StringComparison.Ordinal) || issuedBy.Split(':') is not [_, string gate, string seqText]
            || !long.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out seq))
        {
            return false;
        }

        gateId = gate;
        return true;
    }

    private void OnStored(DeviceEvent deviceEvent)
    {
        if (deviceEvent.Body is FaceMatchBody && !_decisions.Writer.TryWrite(deviceEvent))
        {
            logger.LogWarning("Face match {Gate}/{Seq} not dispatched: the dispatcher is stopping", deviceEvent.DeviceId, deviceEvent.Seq);
        }
    }

    private async Task DispatchAsync(DeviceEvent decision, FaceMatchBody match, CancellationToken cancellationToken)
    {
        GateDecisionRecord? recorded;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            recorded = await GateStore.FindDecisionAsync(decision.DeviceId, decision.Seq, connection, null);
        }

        if (recorded is not { Accepted: true })
        {
            return;
        }

        TimeSpan age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(decision.DeviceMs);
        if (age > MaxDecisionAge)
        {
            logger.LogWarning("Face match {Gate}/{Seq} for {Subject} is {Age:F0} s old: not dispensing", decision.DeviceId, decision.Seq, match.Subject, age.TotalSeconds);
            return;
        }

        string served = await checkouts.ServeAtCabinetAsync(match.Subject, match.CabinetId, IssuerOf(decision.DeviceId, decision.Seq), cancellationToken);
        logger.LogInformation("Face match {Gate}/{Seq}: {Subject} at {Cabinet} → {Served}", decision.DeviceId, decision.Seq, match.Subject, match.CabinetId, served);
    }
}
