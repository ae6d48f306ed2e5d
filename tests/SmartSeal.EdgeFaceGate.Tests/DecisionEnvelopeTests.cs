using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;

namespace SmartSeal.EdgeFaceGate.Tests;

public class DecisionEnvelopeTests
{
    private static readonly byte[] Key = DeviceKeys.Derive(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), "gate-hq-01", 1);

    [Fact]
    public void An_accepted_decision_becomes_a_signed_face_match_event_with_scaled_integer_scores()
    {
        var signer = new DecisionEnvelope("gate-hq-01", Key, "cab-hq-01", "fr-v1");
        var decision = new GateDecision(DecisionState.Accepted, "zhang.wei", 0.7531f, 0.4120f, 0.9862f, 3, "matched");
        byte[] payload = signer.Sign(decision, 1_800_000_000_000, "ph-gate-1")!;

        var envelope = new Envelope();
        Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _));
        Assert.True(EnvelopeCodec.VerifyMac(envelope, Key));
        Assert.Equal(MessageTypes.FaceMatch, envelope.Type);
        Assert.Equal(1, envelope.Seq);
        var body = new FaceMatchBody();
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(envelope, body, out _));
        Assert.Equal(("zhang.wei", "cab-hq-01", 7531, 4120, 9862, 3, "ph-gate-1"), (body.Subject, body.CabinetId, body.Score, body.Margin, body.Liveness, body.Frames, body.PhotoId));
        Assert.Equal("smartseal/v1/gate-hq-01/evt", signer.Topic);
        Assert.Equal(2, signer.NextSeq);
    }

    [Fact]
    public void Nothing_is_claimed_for_a_refused_or_unfinished_decision()
    {
        var signer = new DecisionEnvelope("gate-hq-01", Key, "cab-hq-01", "fr-v1");
        Assert.Null(signer.Sign(new GateDecision(DecisionState.Refused, null, 0.2f, 0f, 0.9f, 8, "no match"), 1));
        Assert.Null(signer.Sign(new GateDecision(DecisionState.Collecting, "zhang.wei", 0.8f, 0.4f, 0.9f, 1, "collecting"), 1));
        Assert.Equal(1, signer.NextSeq);
    }
}
