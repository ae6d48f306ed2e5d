using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Which seals a cabinet may report <c>returned</c>: a compartment takes a seal back only after the
/// cloud sent that cabinet an <c>accept-return</c> for that seal and compartment (a stow, a
/// collection coming back, the gate recognising a holder — <see cref="CheckoutService"/>), because the
/// firmware enters its returning mode on nothing else. Any other return is a claim about a seal the
/// cabinet was never given.
/// </summary>
public static class CabinetReturnOpenings
{
    /// <summary>Whether the cloud opened <paramref name="compartment"/> of <paramref name="cabinetId"/> for <paramref name="sealId"/>, as the batch's transaction sees it.</summary>
    public static async Task<bool> WasOpenedForAsync(string cabinetId, int compartment, string sealId, IngestBatch batch)
    {
        // The body is the command's JSON as sent; the text narrows to bodies naming the seal, the decode decides.
        IReadOnlyList<string> bodies = await SentCommands.BodiesContainingAsync(
            cabinetId, MessageTypes.AcceptReturn, $"\"seal\":\"{sealId}\"", batch.Connection!, batch.Transaction);
        foreach (string text in bodies)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            var body = new AcceptReturnBody();
            if (MessageCodec.DecodeBody(bytes, 0, bytes.Length, body, out _) == Protocol.ProtocolError.None && body.SealId == sealId && body.Compartment == compartment)
            {
                return true;
            }
        }

        return false;
    }
}
