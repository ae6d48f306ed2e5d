using SmartSeal.Protocol.Envelopes;

namespace SmartSeal.Protocol.Security
{
    /// <summary>
    /// Device-side replay protection for cloud commands. A command must carry an id, an issued-at
    /// time (<see cref="Envelope.Time"/>), an expiry and a counter (<see cref="Envelope.Seq"/>) that
    /// the cloud increments per device. The guard accepts each counter value once: values above
    /// the highest seen, or within a 64-wide window below it that have not been seen (QoS 1 can
    /// reorder around reconnects). The caller persists <see cref="Highest"/> and
    /// <see cref="WindowBits"/> to flash after <see cref="Commit"/> and before acting.
    /// </summary>
    public class CommandReplayGuard
    {
        public const int WindowSize = 64;

        /// <summary>Commands may not live longer than this (issued-at to expiry), in milliseconds.</summary>
        public const long MaxLifetimeMs = 24L * 3600 * 1000;

        private long _highest;
        private long _windowBits;
        private long _clockSkewMs;

        public CommandReplayGuard(long highest, long windowBits, long clockSkewMs)
        {
            _highest = highest;
            _windowBits = windowBits;
            _clockSkewMs = clockSkewMs;
        }

        /// <summary>Highest counter accepted so far (0 = none).</summary>
        public long Highest
        {
            get { return _highest; }
        }

        /// <summary>Bit i set = counter (Highest - 1 - i) was accepted.</summary>
        public long WindowBits
        {
            get { return _windowBits; }
        }

        /// <summary>
        /// Checks a command whose MAC has already been verified. <paramref name="nowMs"/> is the
        /// device's Unix time in milliseconds, or 0 when its clock is not set yet (then only the
        /// counter protects, and the refusal reasons say nothing about time).
        /// </summary>
        public ProtocolError Check(Envelope command, long nowMs)
        {
            if (command.Expires == 0)
            {
                return ProtocolError.CommandMissingExpiry;
            }

            if (command.Id == null || command.Id.Length == 0)
            {
                return ProtocolError.EnvelopeBadId;
            }

            if (command.Expires - command.Time > MaxLifetimeMs || command.Expires <= command.Time)
            {
                return ProtocolError.CommandLifetimeTooLong;
            }

            if (nowMs > 0)
            {
                if (nowMs > command.Expires + _clockSkewMs)
                {
                    return ProtocolError.CommandExpired;
                }

                if (command.Time > nowMs + _clockSkewMs)
                {
                    return ProtocolError.CommandNotYetValid;
                }
            }

            return IsFresh(command.Seq) ? ProtocolError.None : ProtocolError.CommandReplayed;
        }

        /// <summary>Records <paramref name="counter"/> as used. Call only after <see cref="Check"/> passed.</summary>
        public void Commit(long counter)
        {
            if (counter > _highest)
            {
                long shift = counter - _highest;
                if (_highest == 0 || shift > WindowSize)
                {
                    _windowBits = 0;
                }
                else if (shift == WindowSize)
                {
                    // C# masks shift counts to 6 bits, so a 64-bit move must be spelled out.
                    _windowBits = 1L << (WindowSize - 1);
                }
                else
                {
                    // The old highest becomes bit (shift - 1); older entries move along with it.
                    _windowBits = (_windowBits << (int)shift) | (1L << (int)(shift - 1));
                }

                _highest = counter;
                return;
            }

            long offset = _highest - 1 - counter;
            if (offset >= 0 && offset < WindowSize)
            {
                _windowBits |= 1L << (int)offset;
            }
        }

        private bool IsFresh(long counter)
        {
            if (counter <= 0)
            {
                return false;
            }

            if (counter > _highest)
            {
                return true;
            }

            if (counter == _highest)
            {
                return false;
            }

            long offset = _highest - 1 - counter;
            if (offset >= WindowSize)
            {
                return false;
            }

            return (_windowBits & (1L << (int)offset)) == 0;
        }
    }
}
