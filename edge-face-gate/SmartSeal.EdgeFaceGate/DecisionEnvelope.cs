using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// Turns an accepted decision into the gate's signed <c>face-match</c> event (the gate is a device
/// with its own key, provisioned like the cabinet and locks), ready to publish on its event topic.
/// The cloud, not the gate, decides whether anything opens.
/// </summary>
public sealed class DecisionEnvelope(string gateId, byte[] gateKey, string cabinetId, string templateVersion)
{
    private long _seq;

    /// <summary>The gate's next event sequence number (persist it with the gate's outbox in a deployment).</summary>
    public long NextSeq
    {
        get => _seq + 1;
        set => _seq = value - 1;
    }

    public string Topic => DeviceTopics.For(gateId, TopicKind.Events);

    /// <summary>The signed envelope for an accepted decision; null for anything else (nothing is claimed).</summary>
    public byte[]? Sign(GateDecision decision, long nowMs, string? photoId = null)
    {
        FaceMatchBody? body = BodyFor(decision, cabinetId, templateVersion, photoId);
        if (body is null)
        {
            return null;
        }

        var envelope = new Envelope { DeviceId = gateId, Seq = ++_seq, Time = nowMs, Type = MessageTypes.FaceMatch, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        return EnvelopeCodec.Encode(envelope, gateKey);
    }

    /// <summary>The <c>face-match</c> body for an accepted decision (scores x 10000); null for anything else.</summary>
    public static FaceMatchBody? BodyFor(GateDecision decision, string cabinetId, string templateVersion, string? photoId)
    {
        if (decision.State != DecisionState.Accepted || decision.Identity is null)
        {
            return null;
        }

        return new FaceMatchBody
        {
            Subject = decision.Identity,
            CabinetId = cabinetId,
            Score = Scaled(decision.MeanScore),
            Margin = Math.Clamp(Scaled(decision.MinMargin), 0, 20000),
            Liveness = Math.Clamp(Scaled(decision.MeanLiveness ?? 0f), 0, 10000),
            Frames = decision.Frames,
            PhotoId = photoId,
            TemplateVersion = templateVersion,
        };
    }

    private static int Scaled(float value) => (int)Math.Round(value * 10000f, MidpointRounding.AwayFromZero);
}
