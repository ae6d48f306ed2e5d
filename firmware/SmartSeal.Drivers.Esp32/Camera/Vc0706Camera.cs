using System;
using System.IO.Ports;
using System.Threading;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Camera
{
    /// <summary>
    /// A UART JPEG camera speaking the VC0706 protocol (no nanoFramework binding exists). Commands
    /// are <c>56 00 cmd len args</c>, replies <c>76 00 cmd status len data</c>. A capture freezes the
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

        private readonly SerialPort _port;
        private readonly int _timeoutMs;
        private readonly byte[] _reply = new byte[16];

        /// <param name="port">An open port at the camera's baud rate (<see cref="DefaultBaudRate"/> after reset).</param>
        /// <param name="timeoutMs">How long one command may take to answer.</param>
        public Vc0706Camera(SerialPort port, int timeoutMs)
        {
            _port = port;
            _timeoutMs = timeoutMs;
        }

        /// <summary>Resets the camera and selects the image size (0x00 = 640x480, 0x11 = 320x240, 0x22 = 160x120). False when it does not answer.</summary>
        public bool Initialise(byte imageSize)
        {
            if (!Command(Reset, new byte[0], 0))
            {
                return false;
            }

            Thread.Sleep(1000); // the camera prints its boot banner after a reset; drop it
            Discard();

            // WRITE_DATA to the chip's register 0x0019 (image size): 05 04 01 00 19 size.
            if (!Command(WriteData, new byte[] { 0x05, 0x04, 0x01, 0x00, 0x19, imageSize }, 0))
            {
                return false;
            }

            return Command(FrameBufferControl, new byte[] { ResumeFrame }, 0);
        }

        public byte[] Capture()
        {
            try
            {
                Discard();
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
            _port.Write(frame, 0, frame.Length);
            return ReadReply(command, dataBytes);
        }

        private bool ReadReply(byte command, int dataBytes)
        {
            if (!ReadExactly(_reply, 0, 5 + dataBytes))
            {
                return false;
            }

            return _reply[0] == ReplySign && _reply[1] == Serial && _reply[2] == command && _reply[3] == 0x00 && _reply[4] == dataBytes;
        }

        private bool ReadExactly(byte[] buffer, int offset, int count)
        {
            long deadline = Environment.TickCount64 + _timeoutMs;
            int done = 0;
            while (done < count)
            {
                if (_port.BytesToRead > 0)
                {
                    done += _port.Read(buffer, offset + done, count - done);
                    deadline = Environment.TickCount64 + _timeoutMs; // the timeout is per silence, not per frame
                }
                else if (Environment.TickCount64 > deadline)
                {
                    return false;
                }
                else
                {
                    Thread.Sleep(2);
                }
            }

            return true;
        }

        private void Discard()
        {
            while (_port.BytesToRead > 0)
            {
                _port.Read(_reply, 0, _port.BytesToRead < _reply.Length ? _port.BytesToRead : _reply.Length);
            }
        }
    }
}
