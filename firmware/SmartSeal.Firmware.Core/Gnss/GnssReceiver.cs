namespace SmartSeal.Firmware.Gnss
{
    /// <summary>
    /// The whole receive path: UART bytes → lines → sentences → fixes, with a counter per
    /// <see cref="NmeaResult"/> so garbage and checksum errors are visible in telemetry.
    /// </summary>
    public class GnssReceiver
    {
        private readonly NmeaLineAssembler _lines;
        private readonly NmeaParser _parser = new NmeaParser();
        private readonly NmeaSentence _sentence = new NmeaSentence();
        private readonly GnssFixBuilder _builder;
        private readonly int[] _counts = new int[7];

        public GnssReceiver(GnssFixHandler onFix)
        {
            _builder = new GnssFixBuilder(onFix);
            _lines = new NmeaLineAssembler(OnLine, NmeaLineAssembler.DefaultMaxLineLength);
        }

        public void Feed(byte[] data, int offset, int count)
        {
            _lines.Feed(data, offset, count);
        }

        /// <summary>Emits the cycle in progress (e.g. when the UART goes quiet).</summary>
        public void Flush()
        {
            _builder.Flush();
        }

        /// <summary>How many lines ended with <paramref name="result"/> since start.</summary>
        public int Count(NmeaResult result)
        {
            return _counts[(int)result];
        }

        private void OnLine(byte[] line, int length, bool overlong)
        {
            if (overlong)
            {
                _counts[(int)NmeaResult.Overlong]++;
                return;
            }

            NmeaResult result = _parser.Parse(line, 0, length, _sentence);
            _counts[(int)result]++;
            if (result == NmeaResult.Parsed)
            {
                _builder.Add(_sentence);
            }
        }
    }
}
