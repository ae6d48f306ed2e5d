namespace SmartSeal.Drivers.Esp32.Inputs
{
    /// <summary>Accepts a new level only after it has been sampled unchanged for <c>stableMs</c> (contact bounce, EMI on long door cables).</summary>
    public class Debouncer
    {
        private readonly long _stableMs;
        private bool _candidate;
        private long _candidateSinceMs;

        public Debouncer(bool initial, long stableMs)
        {
            _stableMs = stableMs;
            Level = initial;
            _candidate = initial;
        }

        public bool Level { get; private set; }

        /// <summary>Feeds one sample; true when the debounced level changed.</summary>
        public bool Sample(bool raw, long uptimeMs)
        {
            if (raw != _candidate)
            {
                _candidate = raw;
                _candidateSinceMs = uptimeMs;
                return false;
            }

            if (_candidate != Level && uptimeMs - _candidateSinceMs >= _stableMs)
            {
                Level = _candidate;
                return true;
            }

            return false;
        }
    }
}
