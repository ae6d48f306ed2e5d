using System;
using System.IO.Ports;
using System.Threading;

namespace SmartSeal.Drivers.Esp32.Serial
{
    /// <summary>An open nanoFramework <see cref="SerialPort"/> as an <see cref="IByteChannel"/> (polled: no event thread per port).</summary>
    public class SerialPortChannel : IByteChannel
    {
        private const int PollMs = 2;

        private readonly SerialPort _port;
        private readonly byte[] _scratch = new byte[64];

        public SerialPortChannel(SerialPort port)
        {
            _port = port;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        public int Read(byte[] buffer, int offset, int count, int silenceMs)
        {
            long deadline = Environment.TickCount64 + silenceMs;
            while (_port.BytesToRead == 0)
            {
                if (Environment.TickCount64 > deadline)
                {
                    return 0;
                }

                Thread.Sleep(PollMs);
            }

            return _port.Read(buffer, offset, count);
        }

        public void Discard(int settleMs)
        {
            if (settleMs > 0)
            {
                Thread.Sleep(settleMs);
            }

            while (_port.BytesToRead > 0)
            {
                _port.Read(_scratch, 0, _port.BytesToRead < _scratch.Length ? _port.BytesToRead : _scratch.Length);
            }
        }
    }
}
