using SmartSeal.Cloud.Devices;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Ingest;

/// <summary>One device message on its way through the pipeline: what it is, whose, and what became of it.</summary>
public sealed class IngestItem(InboundMessage message)
{
    public InboundMessage Message { get; } = message;

    /// <summary>The device the topic names (set once the topic parsed).</summary>
    public string? DeviceId { get; set; }

    public Device? Device { get; set; }

    public TopicKind Kind { get; set; }

    public Envelope Envelope { get; } = new();

    /// <summary>The decoded, MAC-verified body.</summary>
    public MessageBody? Body { get; set; }

    public IngestOutcome Outcome { get; set; } = IngestOutcome.Pending;

    /// <summary>Why it was refused (a <see cref="SmartSeal.Protocol.ProtocolError"/> name or a short code) and details.</summary>
    public string? Reason { get; private set; }

    public string? Detail { get; private set; }

    /// <summary>Whether the refusal is security-relevant (forged, cross-device, replay, unbound): raises an alarm.</summary>
    public bool SecurityRelevant { get; private set; }

    /// <summary>The alarm a security-relevant refusal raises on the sender, when not the forged-message default.</summary>
    public string? AlarmType { get; private set; }

    /// <summary>
    /// The device that actually sent the message: the authenticated client when the broker names one
    /// (a publish into another device's topic is the sender's doing, not the victim's), else the topic's device.
    /// </summary>
    public string? SenderId => Message.ClientId ?? DeviceId;

    public void Refuse(string reason, string? detail, bool securityRelevant)
    {
        Outcome = IngestOutcome.Refused;
        Reason = reason;
        Detail = detail;
        SecurityRelevant = securityRelevant;
    }

    /// <summary>Refuses a stored, authentic event about a seal or token not bound to its device (see <see cref="IngestOutcome.Unbound"/>).</summary>
    public void Unbind(string reason, string detail, string alarmType)
    {
        Outcome = IngestOutcome.Unbound;
        Reason = reason;
        Detail = detail;
        SecurityRelevant = true;
        AlarmType = alarmType;
    }
}
