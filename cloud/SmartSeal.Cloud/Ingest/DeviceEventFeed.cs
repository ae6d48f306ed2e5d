using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ingest;

/// <summary>A device record stored for the first time, as listeners (live feed, domain services) see it.</summary>
public sealed record DeviceEvent(string DeviceId, long Seq, string Type, MessageBody Body, long DeviceMs, long ServerMs);

/// <summary>
/// In-process fan-out of newly stored device records after commit (live portal feed, cabinet and
/// lock orchestration). Listeners must be quick; slow work belongs on their own queue.
/// </summary>
public sealed class DeviceEventFeed(ILogger<DeviceEventFeed> logger)
{
    public event Action<DeviceEvent>? Stored;

    public void Publish(DeviceEvent deviceEvent)
    {
        Action<DeviceEvent>? handlers = Stored;
        if (handlers is null)
        {
            return;
        }

        foreach (Action<DeviceEvent> handler in handlers.GetInvocationList().Cast<Action<DeviceEvent>>())
        {
            try
            {
                handler(deviceEvent);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A device event listener failed on {Type} from {Device}", deviceEvent.Type, deviceEvent.DeviceId);
            }
        }
    }
}
