using System;
using System.Collections;
using System.Text;
using System.Threading;
using SmartSeal.Drivers.Esp32.Serial;

namespace SmartSeal.Lock.Esp32
{
    /// <summary>Handler for an unsolicited result line from the modem (<c>+SMSUB: ...</c>, <c>+SMSTATE: 0</c>).</summary>
    public delegate void UnsolicitedLineHandler(string line);

    /// <summary>
    /// A small AT command channel over a serial port: one command at a time, its response lines
    /// collected until OK / ERROR / +CME ERROR or a timeout, unsolicited lines (those starting
    /// with a registered prefix) handed to a handler from the reader thread. Supports the
    /// "&gt;" prompt of commands that take binary data (AT+SMPUB).
    /// </summary>
    public class AtChannel
    {
        /// <summary>How long one read of the reader thread waits for bytes before it checks whether to stop.</summary>
        private const int ReadPollMs = 50;

        private readonly IByteChannel _port;
        private readonly ArrayList _unsolicitedPrefixes = new ArrayList();
        private readonly ArrayList _lines = new ArrayList();
        private readonly AutoResetEvent _lineArrived = new AutoResetEvent(false);
        private readonly object _sync = new object();
        private readonly object _commandLock = new object();
        private readonly byte[] _readBuffer = new byte[256];
        private readonly byte[] _line = new byte[1536];
        private int _lineLength;
        private bool _prompt;
        private Thread _reader;
        private bool _running;

        public AtChannel(IByteChannel port)
        {
            _port = port;
        }

        public event UnsolicitedLineHandler Unsolicited;

        /// <summary>Lines starting with <paramref name="prefix"/> are unsolicited, never part of a response.</summary>
        public void AddUnsolicitedPrefix(string prefix)
        {
            _unsolicitedPrefixes.Add(prefix);
        }

        public void Start()
        {
            _running = true;
            _reader = new Thread(ReadLoop);
            _reader.Start();
        }

        /// <summary>Ends the reader thread (within <see cref="ReadPollMs"/>).</summary>
        public void Stop()
        {
            _running = false;
        }

        /// <summary>Sends <paramref name="command"/> and returns its response (lines before OK), or null on ERROR or timeout.</summary>
        public string[] Send(string command, int timeoutMs)
        {
            lock (_commandLock)
            {
                BeginCommand(command);
                return AwaitFinal(timeoutMs);
            }
        }

        /// <summary>Sends a command that prompts with "&gt;", then <paramref name="data"/>; the response as for <see cref="Send"/>.</summary>
        public string[] SendWithData(string command, byte[] data, int promptTimeoutMs, int timeoutMs)
        {
            lock (_commandLock)
            {
                BeginCommand(command);
                long deadline = Environment.TickCount64 + promptTimeoutMs;
                while (true)
                {
                    lock (_sync)
                    {
                        if (_prompt)
                        {
                            break;
                        }

                        if (Final(false) != null)
                        {
                            return null; // ERROR instead of a prompt
                        }
                    }

                    long left = deadline - Environment.TickCount64;
                    if (left <= 0)
                    {
                        return null;
                    }

                    _lineArrived.WaitOne((int)left, false);
                }

                _port.Write(data, 0, data.Length);
                return AwaitFinal(timeoutMs);
            }
        }

        private void BeginCommand(string command)
        {
            lock (_sync)
            {
                _lines.Clear();
                _prompt = false;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(command + "\r");
            _port.Write(bytes, 0, bytes.Length);
        }

        private string[] AwaitFinal(int timeoutMs)
        {
            long deadline = Environment.TickCount64 + timeoutMs;
            while (true)
            {
                lock (_sync)
                {
                    string[] result = Final(true);
                    if (result != null)
                    {
                        return result.Length == 1 && result[0] == null ? null : result;
                    }
                }

                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return null;
                }

                _lineArrived.WaitOne((int)left, false);
            }
        }

        /// <summary>With the lock held: the response when a final line arrived ({ null } for an error), else null.</summary>
        private string[] Final(bool consume)
        {
            for (int i = 0; i < _lines.Count; i++)
            {
                string line = (string)_lines[i];
                bool ok = line == "OK";
                bool error = line == "ERROR" || line.StartsWith("+CME ERROR") || line.StartsWith("+CMS ERROR");
                if (!ok && !error)
                {
                    continue;
                }

                string[] response = new string[ok ? i : 1];
                for (int j = 0; ok && j < i; j++)
                {
                    response[j] = (string)_lines[j];
                }

                if (consume)
                {
                    _lines.Clear();
                }

                return response;
            }

            return null;
        }

        private void ReadLoop()
        {
            while (_running)
            {
                int count = _port.Read(_readBuffer, 0, _readBuffer.Length, ReadPollMs);

                for (int i = 0; i < count; i++)
                {
                    Accept(_readBuffer[i]);
                }
            }
        }

        private void Accept(byte b)
        {
            if (b == (byte)'\n')
            {
                return;
            }

            if (b != (byte)'\r')
            {
                if (_lineLength < _line.Length)
                {
                    _line[_lineLength++] = b;
                }

                // The data prompt is "> " with no line end.
                if (_lineLength == 2 && _line[0] == (byte)'>' && _line[1] == (byte)' ')
                {
                    _lineLength = 0;
                    lock (_sync)
                    {
                        _prompt = true;
                    }

                    _lineArrived.Set();
                }

                return;
            }

            if (_lineLength == 0)
            {
                return;
            }

            string line = Encoding.UTF8.GetString(_line, 0, _lineLength);
            _lineLength = 0;
            for (int i = 0; i < _unsolicitedPrefixes.Count; i++)
            {
                if (line.StartsWith((string)_unsolicitedPrefixes[i]))
                {
                    UnsolicitedLineHandler handler = Unsolicited;
                    if (handler != null)
                    {
                        handler(line);
                    }

                    return;
                }
            }

            lock (_sync)
            {
                _lines.Add(line);
            }

            _lineArrived.Set();
        }
    }
}
