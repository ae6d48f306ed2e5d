using SmartSeal.Cloud.Tests.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Photos;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// What a lock's firmware sends for one stamp on a checked page, played by an MQTT test device:
/// the before-photo, (the cloud's verdict), the stamped event, the after-photo of the same attempt.
/// </summary>
public static class LockTrip
{
    /// <summary>Sends the before-photo and waits for the signed verdict of its attempt.</summary>
    public static async Task<DocumentVerdictBody> BeforeAsync(DeviceClient device, string attempt, byte[] before)
    {
        var upload = new TestPhotoUpload(before, "ph-b-" + attempt, attempt);
        await device.WaitForAckAsync(await upload.SendAsync(device));
        return await Eventually.ValueAsync(
            () => device.CloudMessages(TopicKind.Commands).Select(m => m.Body).OfType<DocumentVerdictBody>().FirstOrDefault(v => v.AttemptId == attempt),
            $"{device.DeviceId} received the doc-verdict for {attempt}",
            TimeSpan.FromSeconds(120));
    }

    /// <summary>The whole trip of an ok page: before, verdict ok, stamped, after.</summary>
    /// <param name="fix">Where the lock stamped (the ledger entry's position), or none.</param>
    public static async Task StampAsync(DeviceClient device, string attempt, string tokenId, byte[] before, byte[] after, string documentId, int page, GeoFix? fix = null)
    {
        DocumentVerdictBody verdict = await BeforeAsync(device, attempt, before);
        Assert.True(verdict.Verdict == DocumentVerdictKind.Ok, verdict.Detail);
        Assert.Equal((documentId, page), (verdict.DocumentId, verdict.Page));

        await device.SendAsync(new StampedBody { AttemptId = attempt, TokenId = tokenId, DocumentId = documentId, Page = page, BeforePhotoId = "ph-b-" + attempt, Fix = fix });
        var afterUpload = new TestPhotoUpload(after, "ph-a-" + attempt, attempt, PhotoPurpose.After);
        await device.WaitForAckAsync(await afterUpload.SendAsync(device));
    }
}
