using System;
using System.IO.Ports;
using System.Threading;
using SmartSeal.Firmware.Gnss;

namespace SmartSeal.Drivers.Esp32.Gnss
{
    /// <summary>
    /// Feeds a UART GNSS receiver's NMEA bytes into the core's <see cref="GnssReceiver"/> (line
    /// assembly, parsing, cycle merging) from a reader thread. <see cref="Pause"/> stops reading
    /// while another device borrows the UART (the lock's camera shares it through a mux).
    /// </summary>
    public class SerialGnss
    {
        public const int DefaultBaudRate = 9600;

        /// <summary>No byte for this long ends the receiver's burst: emit the cycle in progress.</summary>
        private const int QuietFlushMs = 200;

        private readonly SerialPort _port;
        private readonly GnssReceiver _receiver;
        private readonly byte[] _buffer = new byte[256];
        private readonly object _sync = new object();
        private Thread _thread;
        private bool _running;
        private bool _paused;

        public SerialGnss(SerialPort port, GnssFixHandler onFix)
        {
            _port = port;
            _receiver = new GnssReceiver(onFix);
        }

        public GnssReceiver Receiver
        {
            get { return _receiver; }
        }

        public void Start()
        {
            _running = true;
            _thread = new Thread(Run);
            _thread.Start();
        }

        public void Stop()
        {
            _running = false;
        }

        /// <summary>Stops consuming the UART (returns once no read is in progress).</summary>
        public void Pause()
        {
            lock (_sync)
            {
                _paused = true;
            }
        }

        public void Resume()
        {
            lock (_sync)
            {
                _paused = false;
            }
        }

        private void Run()
        {
            long lastByteMs = Environment.TickCount64;
            bool flushed = true;
            while (_running)
            {
                int count = 0;
                lock (_sync)
                {
                    if (!_paused && _port.BytesToRead > 0)
                    {
                        count = _port.Read(_buffer, 0, _port.BytesToRead < _buffer.Length ? _port.BytesToRead : _buffer.Length);
                    }
                }

                if (count > 0)
                {
                    _receiver.Feed(_buffer, 0, count);
                    lastByteMs = Environment.TickCount64;
                    flushed = false;
                    continue;
                }

                if (!flushed && Environment.TickCount64 - lastByteMs > QuietFlushMs)
                {
                    _receiver.Flush();
                    flushed = true;
                }

                Thread.Sleep(20);
            }
        }
    }
}
