using SmartSeal.EdgeFaceGate.Inputs;
using SmartSeal.EdgeFaceGate.Link;
using SmartSeal.EdgeFaceGate.Templates;
using SmartSeal.Protocol.Provisioning;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate;

/// <summary>What <c>run</c> needs: the provisioning file, the state folder, the sync period, the status port.</summary>
public sealed record GateHostOptions
{
    public required ProvisioningFile Device { get; init; }
    public required string StateFolder { get; init; }
    public TimeSpan SyncEvery { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan PumpEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>When the input ends (a folder), how long to wait for the cloud to acknowledge what was sent.</summary>
    public TimeSpan DrainFor { get; init; } = TimeSpan.FromSeconds(15);
    public int? StatusPort { get; init; }
    public GateRunnerOptions Runner { get; init; } = new();
}

/// <summary>
/// The gate as a device: MQTT link with its outbox, template sync over HTTPS, the frame loop and the
/// status page, run together until the input ends (then the outbox is drained) or cancellation.
/// </summary>
public sealed class GateHost(GateHostOptions options, FacePipeline pipeline, HttpClient cloud, TimeProvider time, Action<string> log)
{
    public GateStatus Status { get; } = new();

    public async Task<IReadOnlyList<DecisionLogEntry>> RunAsync(IFrameSource source, CancellationToken cancellationToken)
    {
        ProvisioningFile device = options.Device;
        if (device.Kind != ProvisioningFile.KindGate)
        {
            throw new GateConfigurationException($"{device.DeviceId} is provisioned as a {device.Kind}, not a gate");
        }

        if (device.BrokerProfile != ProvisioningFile.ProfileSmartSeal)
        {
            throw new GateConfigurationException($"the gate speaks the smartseal broker profile only, not {device.BrokerProfile}");
        }

        await using var link = new GateLink(device, new GateOutbox(options.StateFolder), time, log);
        var runner = new GateRunner(pipeline, link, Status, options.Runner, time, log);
        var sync = new TemplateSyncClient(cloud, device.DeviceId, device.Key, time);
        using StatusPage? page = options.StatusPort is int port ? new StatusPage(Status, port) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (page is not null)
        {
            page.Start(stop.Token);
            log($"status page {page.Url}");
        }

        await link.TryConnectAsync(stop.Token);
        await SyncAsync(sync, runner, stop.Token);
        Task background = BackgroundAsync(link, sync, runner, stop.Token);
        try
        {
            IReadOnlyList<DecisionLogEntry> decisions = await Task.Run(() => runner.RunAsync(source, stop.Token), stop.Token);
            DateTime until = DateTime.UtcNow + options.DrainFor;
            while (link.PendingCount > 0 && DateTime.UtcNow < until && !stop.IsCancellationRequested)
            {
                await link.PumpAsync(stop.Token);
                await Task.Delay(100, stop.Token);
            }

            if (link.PendingCount > 0)
            {
                log($"input ended with {link.PendingCount} messages unacknowledged (kept in {options.StateFolder}/outbox for the next run)");
            }

            return decisions;
        }
        finally
        {
            await stop.CancelAsync();
            await background.ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    private async Task BackgroundAsync(GateLink link, TemplateSyncClient sync, GateRunner runner, CancellationToken cancellationToken)
    {
        DateTime nextSync = DateTime.UtcNow + options.SyncEvery;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(options.PumpEvery, cancellationToken);
            try
            {
                await link.PumpAsync(cancellationToken);
                Status.LinkConnected = link.Connected;
                Status.OutboxPending = link.PendingCount;
                runner.ExpireTemplates();
                if (DateTime.UtcNow >= nextSync)
                {
                    nextSync = DateTime.UtcNow + options.SyncEvery;
                    await SyncAsync(sync, runner, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The loop must survive a bad moment (disk, network); the outbox keeps what was not sent.
                log($"gate background: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    /// <summary>One sync; a failure keeps the current set (which still expires on its own).</summary>
    public async Task SyncAsync(TemplateSyncClient sync, GateRunner runner, CancellationToken cancellationToken)
    {
        try
        {
            (GateTemplateSet set, int bytes) = await sync.FetchAsync(cancellationToken);
            runner.ApplyTemplates(set);
            Status.LastSyncMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            Status.LastSyncBytes = bytes;
            Status.SyncState = "ok";
        }
        catch (Exception ex) when (ex is TemplateSyncException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            Status.SyncState = "failed: " + ex.Message;
            log($"template sync failed: {ex.Message} (keeping the current templates until they expire)");
        }
    }
}

public sealed class GateConfigurationException(string message) : Exception(message);
