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

    /// <summary>Whether the refusal is security-relevant (forged, cross-device, replay): raises an alarm.</summary>
    public bool SecurityRelevant { get; private set; }

    public bool IsAccepted => Outcome is IngestOutcome.Stored or IngestOutcome.Duplicate or IngestOutcome.Presence or IngestOutcome.Pending;

    public void Refuse(string reason, string? detail, bool securityRelevant)
    {
        Outcome = IngestOutcome.Refused;
        Reason = reason;
        Detail = detail;
        SecurityRelevant = securityRelevant;
    }
}
