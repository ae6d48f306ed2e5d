namespace SmartSeal.Firmware.Gnss
{
    /// <summary>Receives each assembled line (without CR/LF); length 0 never happens.</summary>
    public delegate void NmeaLineHandler(byte[] line, int length, bool overlong);

    /// <summary>
    /// Turns raw UART bytes, in chunks of any size, into NMEA lines in a fixed buffer. A '$' in the
    /// middle of a line starts a new one (the receiver restarted a sentence), so the broken part is
    /// handed on by itself; a line longer than the buffer is reported once as overlong and skipped
    /// up to the next line end.
    /// </summary>
    public class NmeaLineAssembler
    {
        /// <summary>NMEA allows 82 characters; some receivers exceed it, so there is slack.</summary>
        public const int DefaultMaxLineLength = 120;

        private readonly byte[] _buffer;
        private readonly NmeaLineHandler _handler;
        private int _length;
        private bool _discarding;

        public NmeaLineAssembler(NmeaLineHandler handler, int maxLineLength)
        {
            _handler = handler;
            _buffer = new byte[maxLineLength];
        }

        public void Feed(byte[] data, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                byte b = data[i];
                if (b == '\n' || b == '\r')
                {
                    EndLine();
                    continue;
                }

                if (b == '$' && _length > 0)
                {
                    EndLine();
                }

                if (_discarding)
                {
                    continue;
                }

                if (_length == _buffer.Length)
                {
                    _discarding = true;
                    _length = 0;
                    _handler(_buffer, 0, true);
                    continue;
                }

                _buffer[_length++] = b;
            }
        }

        private void EndLine()
        {
            if (_length > 0 && !_discarding)
            {
                _handler(_buffer, _length, false);
            }

            _length = 0;
            _discarding = false;
        }
    }
}
