using SmartSeal.Firmware.Cabinet;
using SmartSeal.Protocol.Messages;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Firmware.Tests.Cabinet;

/// <summary>Stamping video on the cabinet: a clip per hand-over and return, sent like a photo (chunks, device-key MAC) under the photo's attempt.</summary>
public class CabinetClipTests
{
    private static readonly byte[] Mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', .. Enumerable.Range(0, 9000).Select(i => (byte)(i * 7))];

    [Fact]
    public void A_hand_over_records_a_clip_named_after_its_attempt_and_sends_it_MACd_in_chunks_when_it_is_finished()
    {
        var bench = new CabinetControllerTests.Bench();
        bench.Dispense(1, "seal-company");
        PhotoManifestBody photo = bench.Cloud.Bodies<PhotoManifestBody>().Single();
        Assert.Equal(["vid-ctok-1"], bench.Clips.Started);

        bench.Controller.Tick();
        Assert.Single(bench.Cloud.Bodies<PhotoManifestBody>()); // still recording: nothing sent yet

        bench.Clips.Finish("vid-ctok-1", Mp4);
        bench.Controller.Tick();
        PhotoManifestBody clip = bench.Cloud.Bodies<PhotoManifestBody>().Single(m => m.Media == MediaKind.Mp4);
        Assert.Equal("vid-ctok-1", clip.PhotoId);
        Assert.Equal(PhotoPurpose.Handover, clip.Purpose);
        Assert.Equal(photo.AttemptId, clip.AttemptId);
        Assert.Equal(Mp4.Length, clip.Size);

        var assembler = new PhotoAssembler(clip, bench.Cloud.Key);
        PhotoAssemblyState last = PhotoAssemblyState.Incomplete;
        foreach (PhotoChunkBody chunk in bench.Cloud.Bodies<PhotoChunkBody>().Where(c => c.PhotoId == clip.PhotoId))
        {
            last = assembler.Add(chunk);
        }

        Assert.Equal(PhotoAssemblyState.Complete, last);
        Assert.Equal(Mp4, assembler.Photo);
        Assert.Empty(bench.Cloud.Bodies<AlarmBody>());
    }

    [Fact]
    public void A_return_records_a_clip_too()
    {
        var bench = new CabinetControllerTests.Bench();
        bench.Dispense(1, "seal-company");
        bench.Door(1, true);
        bench.Tag(1, TagReading.None);
        bench.Door(1, false);
        string ret = bench.Cloud.Send(new AcceptReturnBody { Compartment = 1, SealId = "seal-company", ExpectedTag = "04A1B2C3" });
        Assert.Equal(["vid-ctok-1", "vid-" + ret], bench.Clips.Started);

        bench.Clips.Finish("vid-" + ret, Mp4);
        bench.Controller.Tick();
        PhotoManifestBody clip = bench.Cloud.Bodies<PhotoManifestBody>().Single(m => m.Media == MediaKind.Mp4);
        Assert.Equal(PhotoPurpose.Return, clip.Purpose);
        Assert.Equal(ret, clip.AttemptId);
    }

    [Fact]
    public void A_failed_busy_or_oversized_recording_raises_a_camera_alarm_that_says_why()
    {
        var bench = new CabinetControllerTests.Bench();
        bench.Dispense(1, "seal-company");
        bench.Clips.Fail("vid-ctok-1", "ffmpeg exited 1: /dev/video0: No such device");
        bench.Controller.Tick();
        AlarmBody failed = bench.Cloud.Bodies<AlarmBody>().Single();
        Assert.Equal(AlarmType.CameraFailure, failed.Alarm);
        Assert.Equal(1, failed.Compartment);
        Assert.Contains("No such device", failed.Detail);

        bench.Clips.Busy = true;
        bench.Dispense(2, "seal-finance", bench.CabinetToken(2, "seal-finance", "ctok-2"));
        Assert.Contains(bench.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.CameraFailure && a.Compartment == 2 && a.Detail.Contains("busy"));
        Assert.True(bench.Latches[1].IsUnlocked); // the hand-over goes on without video

        var oversized = new CabinetControllerTests.Bench();
        oversized.Dispense(1, "seal-company");
        oversized.Clips.Finish("vid-ctok-1", new byte[PhotoChunker.MaxPhotoBytes + 1]);
        oversized.Controller.Tick();
        Assert.Contains(oversized.Cloud.Bodies<AlarmBody>(), a => a.Alarm == AlarmType.CameraFailure && a.Detail.Contains("larger than"));
        Assert.DoesNotContain(oversized.Cloud.Bodies<PhotoManifestBody>(), m => m.Media == MediaKind.Mp4);
    }
}
