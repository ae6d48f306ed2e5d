using System;
using SmartSeal.Drivers.Esp32.Serial;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Camera
{
    /// <summary>
    /// A UART JPEG camera speaking the VC0706 protocol (no nanoFramework binding exists). Commands
    /// are <c>56 00 cmd len args</c>, replies <c>76 00 cmd status len data</c> (Vimicro "VC0706
    /// Communication Protocol" V1.0; status 0 = executed, 1..5 = an error code). A capture freezes the
    /// frame buffer, reads its length, reads the JPEG in blocks, and resumes the live frame.
    /// Every step has a timeout; any failure returns null as <see cref="ICamera"/> requires.
    /// </summary>
    public class Vc0706Camera : ICamera
    {
        public const int DefaultBaudRate = 38400;

        /// <summary>Bytes per READ_FBUF request: a multiple of 8 (protocol), small enough for the UART's receive buffer.</summary>
        public const int BlockBytes = 1024;

        /// <summary>Largest JPEG accepted (640x480 at the default compression is 40-60 KB); guards the PSRAM heap.</summary>
        public const int MaxJpegBytes = 120 * 1024;

        private const byte CommandSign = 0x56;
        private const byte ReplySign = 0x76;
        private const byte Serial = 0x00;
        private const byte Reset = 0x26;
        private const byte WriteData = 0x31;
        private const byte ReadFrameBuffer = 0x32;
        private const byte GetFrameBufferLength = 0x34;
        private const byte FrameBufferControl = 0x36;
        private const byte StopCurrentFrame = 0x00;
        private const byte ResumeFrame = 0x03;

        /// <summary>Register 0x0019 of the chip (WRITE_DATA type 04): the image size.</summary>
        private const byte ImageSizeRegisterHigh = 0x00;
        private const byte ImageSizeRegisterLow = 0x19;

        /// <summary>How long the camera prints its boot banner after a reset.</summary>
        private const int ResetSettleMs = 1000;

        private readonly IByteChannel _channel;
        private readonly int _timeoutMs;
        private readonly byte[] _reply = new byte[16];

        /// <param name="channel">The camera's UART, open at its baud rate (<see cref="DefaultBaudRate"/> after reset).</param>
        /// <param name="timeoutMs">How long the camera may stay silent while answering.</param>
        public Vc0706Camera(IByteChannel channel, int timeoutMs)
        {
            _channel = channel;
            _timeoutMs = timeoutMs;
        }

        /// <summary>The status byte of the last reply that had one (0 = executed); -1 after a timeout or a malformed reply.</summary>
        public int LastStatus { get; private set; }

        /// <summary>Resets the camera and selects the image size (0x00 = 640x480, 0x11 = 320x240, 0x22 = 160x120). False when it does not answer.</summary>
        public bool Initialise(byte imageSize)
        {
            if (!Command(Reset, new byte[0], 0))
            {
                return false;
            }

            _channel.Discard(ResetSettleMs); // the boot banner after a reset

            // WRITE_DATA (0x31): type 04 (chip register), 1 byte, register 0x0019, the value.
            // The command's own length byte (5) is written by Command; it is not part of the arguments.
            if (!Command(WriteData, new byte[] { 0x04, 0x01, ImageSizeRegisterHigh, ImageSizeRegisterLow, imageSize }, 0))
            {
                return false;
            }

            return Command(FrameBufferControl, new byte[] { ResumeFrame }, 0);
        }

        public byte[] Capture()
        {
            try
            {
                _channel.Discard(0);
                if (!Command(FrameBufferControl, new byte[] { StopCurrentFrame }, 0))
                {
                    return null;
                }

                try
                {
                    return ReadFrame();
                }
                finally
                {
                    Command(FrameBufferControl, new byte[] { ResumeFrame }, 0);
                }
            }
            catch (Exception)
            {
                return null;
            }
        }

        private byte[] ReadFrame()
        {
            if (!Command(GetFrameBufferLength, new byte[] { 0x00 }, 4))
            {
                return null;
            }

            int length = (_reply[5] << 24) | (_reply[6] << 16) | (_reply[7] << 8) | _reply[8];
            if (length <= 0 || length > MaxJpegBytes)
            {
                return null;
            }

            byte[] jpeg = new byte[length];
            for (int address = 0; address < length; address += BlockBytes)
            {
                int count = length - address < BlockBytes ? length - address : BlockBytes;

                // READ_FBUF: frame 0, MCU mode (0x0A), 4-byte address, 4-byte length, 2-byte delay (x 0.01 ms).
                byte[] args =
                {
                    0x00, 0x0A,
                    (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address,
                    (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count,
                    0x00, 0x0A,
                };
                if (!Command(ReadFrameBuffer, args, 0)
                    || !ReadExactly(jpeg, address, count)
                    || !ReadReply(ReadFrameBuffer, 0))
                {
                    return null;
                }
            }

            // A JPEG starts with FFD8 and ends with FFD9; anything else is a torn read.
            bool whole = length >= 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8 && jpeg[length - 2] == 0xFF && jpeg[length - 1] == 0xD9;
            return whole ? jpeg : null;
        }

        /// <summary>Sends one command and reads its reply header plus <paramref name="dataBytes"/> of data into <see cref="_reply"/>.</summary>
        private bool Command(byte command, byte[] args, int dataBytes)
        {
            byte[] frame = new byte[4 + args.Length];
            frame[0] = CommandSign;
            frame[1] = Serial;
            frame[2] = command;
            frame[3] = (byte)args.Length;
            Array.Copy(args, 0, frame, 4, args.Length);
            _channel.Write(frame, 0, frame.Length);
            return ReadReply(command, dataBytes);
        }

        /// <summary>Reads a reply header; on status 0 with the expected data length, the data too.</summary>
        private bool ReadReply(byte command, int dataBytes)
        {
            LastStatus = -1;
            if (!ReadExactly(_reply, 0, 5) || _reply[0] != ReplySign || _reply[1] != Serial || _reply[2] != command)
            {
                return false;
            }

            LastStatus = _reply[3];
            return _reply[3] == 0x00 && _reply[4] == dataBytes && ReadExactly(_reply, 5, dataBytes);
        }

        private bool ReadExactly(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                int read = _channel.Read(buffer, offset + done, count - done, _timeoutMs);
                if (read == 0)
                {
                    return false; // silent for the whole timeout: the timeout is per silence, not per frame
                }

                done += read;
            }

            return true;
        }
    }
}
