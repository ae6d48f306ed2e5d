using SmartSeal.Drivers.Esp32.Camera;
using static SmartSeal.Firmware.Tests.Drivers.ScriptedChannel;

namespace SmartSeal.Firmware.Tests.Drivers;

/// <summary>
/// The VC0706 driver byte by byte. Frames are those of Vimicro's "VC0706 Communication Protocol"
/// V1.0 (command 56 00 cmd len args; reply 76 00 cmd status len data; status 00 = executed,
/// 01 = command not received, 02 = data length error, 03 = data format error, 04 = cannot execute
/// now, 05 = executed wrongly), as also sent by Adafruit's VC0706 library.
/// </summary>
public class Vc0706CameraTests
{
    // SYSTEM_RESET (0x26), no arguments.
    private static readonly byte[] ResetCommand = Hex("56 00 26 00");
    private static readonly byte[] ResetReply = Hex("76 00 26 00 00");

    // WRITE_DATA (0x31): length 05; type 04 (chip register), 01 byte, register 00 19, value.
    private static readonly byte[] SetSize320x240 = Hex("56 00 31 05 04 01 00 19 11");
    private static readonly byte[] WriteDataReply = Hex("76 00 31 00 00");

    // FBUF_CTRL (0x36): length 01; 00 = stop current frame, 03 = resume frame.
    private static readonly byte[] StopFrame = Hex("56 00 36 01 00");
    private static readonly byte[] ResumeFrame = Hex("56 00 36 01 03");
    private static readonly byte[] FrameControlReply = Hex("76 00 36 00 00");

    // GET_FBUF_LEN (0x34): length 01; 00 = current frame. Reply data: 4-byte big-endian length.
    private static readonly byte[] GetLength = Hex("56 00 34 01 00");

    // READ_FBUF (0x32): length 0C; frame 00, mode 0A (MCU), address (4), length (4), delay 00 0A.
    // The camera answers 76 00 32 00 00, the data, then 76 00 32 00 00 again.
    private static readonly byte[] ReadFrameReply = Hex("76 00 32 00 00");

    private const int TimeoutMs = 500;

    [Fact]
    public void Initialise_resets_then_writes_the_image_size_register_then_resumes()
    {
        var channel = new ScriptedChannel().Answer(ResetReply).Answer(WriteDataReply).Answer(FrameControlReply);
        var camera = new Vc0706Camera(channel, TimeoutMs);

        Assert.True(camera.Initialise(0x11));

        Assert.Equal(new[] { ResetCommand, SetSize320x240, ResumeFrame }, channel.Written);
        Assert.Equal(new[] { 1000 }, channel.Discards); // the boot banner after the reset is dropped
    }

    [Fact]
    public void The_image_size_write_carries_one_length_byte()
    {
        // The old frame, 56 00 31 06 05 04 01 00 19 .., put the length twice; the camera would not set the size.
        var channel = new ScriptedChannel().Answer(ResetReply).Answer(WriteDataReply).Answer(FrameControlReply);
        new Vc0706Camera(channel, TimeoutMs).Initialise(0x00);

        byte[] write = channel.Written[1];
        Assert.Equal(write.Length - 4, write[3]);
        Assert.Equal(Hex("56 00 31 05 04 01 00 19 00"), write);
    }

    [Fact]
    public void Capture_stops_the_frame_reads_length_and_blocks_and_resumes()
    {
        byte[] jpeg = Jpeg(1500); // two READ_FBUF blocks: 1024 + 476
        var channel = new ScriptedChannel()
            .Answer(FrameControlReply)
            .Answer(Concat(Hex("76 00 34 00 04 00 00 05 DC"))) // 0x05DC = 1500
            .Answer(Concat(ReadFrameReply, jpeg[..1024], ReadFrameReply))
            .Answer(Concat(ReadFrameReply, jpeg[1024..], ReadFrameReply))
            .Answer(FrameControlReply);
        var camera = new Vc0706Camera(channel, TimeoutMs);

        Assert.Equal(jpeg, camera.Capture());

        Assert.Equal(
            new[]
            {
                StopFrame,
                GetLength,
                Hex("56 00 32 0C 00 0A 00 00 00 00 00 00 04 00 00 0A"),
                Hex("56 00 32 0C 00 0A 00 00 04 00 00 00 01 DC 00 0A"),
                ResumeFrame,
            },
            channel.Written);
    }

    [Theory]
    [InlineData("76 00 36 04 00")] // stop frame refused: cannot execute now
    [InlineData("76 00 36 01 00")] // command not received
    public void An_error_status_on_stop_frame_fails_the_capture_with_that_status(string reply)
    {
        var channel = new ScriptedChannel().Answer(Hex(reply)).Answer(FrameControlReply);
        var camera = new Vc0706Camera(channel, TimeoutMs);

        Assert.Null(camera.Capture());
        Assert.Equal(Hex(reply)[3], camera.LastStatus);
        Assert.Equal(new[] { StopFrame }, channel.Written); // nothing read, no resume of a frame never stopped
    }

    [Fact]
    public void An_error_reply_to_get_length_is_read_as_a_five_byte_header_and_the_frame_resumed()
    {
        // Error replies have no data: 76 00 34 03 00 (data format error). The driver must not wait for 4 data bytes.
        var channel = new ScriptedChannel().Answer(FrameControlReply).Answer(Hex("76 00 34 03 00")).Answer(FrameControlReply);
        var camera = new Vc0706Camera(channel, TimeoutMs);

        Assert.Null(camera.Capture());
        Assert.Equal(new[] { StopFrame, GetLength, ResumeFrame }, channel.Written);
    }

    [Fact]
    public void A_silent_camera_times_out_without_a_photo()
    {
        var channel = new ScriptedChannel().Silence();
        var camera = new Vc0706Camera(channel, TimeoutMs);

        Assert.False(camera.Initialise(0x11));
        Assert.Equal(-1, camera.LastStatus);
        Assert.Equal(new[] { ResetCommand }, channel.Written);
    }

    [Fact]
    public void A_reply_to_another_command_is_refused()
    {
        var channel = new ScriptedChannel().Answer(Hex("76 00 34 00 00")).Answer(FrameControlReply);
        Assert.Null(new Vc0706Camera(channel, TimeoutMs).Capture());
    }

    [Fact]
    public void A_data_stream_cut_short_or_not_a_jpeg_gives_no_photo()
    {
        byte[] notJpeg = new byte[16];
        var torn = new ScriptedChannel()
            .Answer(FrameControlReply)
            .Answer(Hex("76 00 34 00 04 00 00 00 10"))
            .Answer(Concat(ReadFrameReply, notJpeg, ReadFrameReply))
            .Answer(FrameControlReply);
        Assert.Null(new Vc0706Camera(torn, TimeoutMs).Capture());

        var cut = new ScriptedChannel()
            .Answer(FrameControlReply)
            .Answer(Hex("76 00 34 00 04 00 00 00 10"))
            .Answer(Concat(ReadFrameReply, Jpeg(16)[..10])) // the camera falls silent mid-block
            .Answer(FrameControlReply);
        Assert.Null(new Vc0706Camera(cut, TimeoutMs).Capture());
        Assert.Equal(ResumeFrame, cut.Written[^1]);
    }

    [Fact]
    public void A_length_above_the_heap_guard_is_refused_before_reading()
    {
        var channel = new ScriptedChannel()
            .Answer(FrameControlReply)
            .Answer(Hex("76 00 34 00 04 00 01 E0 01")) // 122 881 bytes > 120 KB
            .Answer(FrameControlReply);
        Assert.Null(new Vc0706Camera(channel, TimeoutMs).Capture());
        Assert.Equal(new[] { StopFrame, GetLength, ResumeFrame }, channel.Written);
    }

    private static byte[] Jpeg(int length)
    {
        byte[] jpeg = new byte[length];
        for (int i = 0; i < length; i++)
        {
            jpeg[i] = (byte)(i * 7);
        }

        jpeg[0] = 0xFF;
        jpeg[1] = 0xD8;
        jpeg[^2] = 0xFF;
        jpeg[^1] = 0xD9;
        return jpeg;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
