using SmartSeal.Protocol.Geo;

namespace SmartSeal.Firmware.Gnss
{
    /// <summary>
    /// Decides, fix by fix, which positions are believable and when one is reported: faster when
    /// moving, slower when still, immediately when the lock starts moving. Rejects fixes without a
    /// position, inaccurate ones, ones not newer than the last accepted, and jumps at impossible
    /// speed until enough consistent fixes confirm the new place. An explicit state object with no
    /// I/O: the caller passes the uptime and publishes on <see cref="PositionDecision.Report"/>.
    /// </summary>
    public class PositionReporter
    {
        private readonly PositionReporterSettings _settings;
        private GnssFix _accepted;
        private long _acceptedUptimeMs;
        private GnssFix _reported;
        private long _reportedUptimeMs;
        private GnssFix _jumpCandidate;
        private long _jumpCandidateUptimeMs;
        private int _jumpCount;

        public PositionReporter(PositionReporterSettings settings)
        {
            _settings = settings;
        }

        /// <summary>The latest believable fix, or null. Stamp attempts use it for the geofence.</summary>
        public GnssFix Current
        {
            get { return _accepted; }
        }

        /// <summary>Uptime at which <see cref="Current"/> was accepted (its age decides whether it is still usable).</summary>
        public long CurrentUptimeMs
        {
            get { return _acceptedUptimeMs; }
        }

        public bool Moving { get; private set; }

        public PositionDecision Offer(GnssFix fix, long uptimeMs)
        {
            if (!fix.Valid || double.IsNaN(fix.Latitude))
            {
                return PositionDecision.RejectedNoFix;
            }

            if (double.IsNaN(fix.AccuracyM) || fix.AccuracyM > _settings.MaxAccuracyM)
            {
                return PositionDecision.RejectedInaccurate;
            }

            if (_accepted != null && fix.UtcMs >= 0 && _accepted.UtcMs >= 0 && fix.UtcMs <= _accepted.UtcMs)
            {
                return PositionDecision.RejectedTimeOrder;
            }

            if (_accepted != null && IsJump(_accepted, _acceptedUptimeMs, fix, uptimeMs))
            {
                if (_jumpCandidate != null && !IsJump(_jumpCandidate, _jumpCandidateUptimeMs, fix, uptimeMs))
                {
                    _jumpCount++;
                }
                else
                {
                    _jumpCount = 1;
                }

                _jumpCandidate = fix;
                _jumpCandidateUptimeMs = uptimeMs;
                if (_jumpCount < _settings.JumpConfirmations)
                {
                    return PositionDecision.RejectedJump;
                }
            }

            _jumpCandidate = null;
            _jumpCount = 0;
            return Accept(fix, uptimeMs);
        }

        private PositionDecision Accept(GnssFix fix, long uptimeMs)
        {
            _accepted = fix;
            _acceptedUptimeMs = uptimeMs;

            bool wasMoving = Moving;
            double speed = double.IsNaN(fix.SpeedMs) ? 0 : fix.SpeedMs;
            double fromReport = _reported == null ? 0 : GeoMath.DistanceMetres(_reported.Latitude, _reported.Longitude, fix.Latitude, fix.Longitude);
            if (!Moving && (speed >= _settings.MovingSpeedMs || fromReport >= _settings.MovingDistanceM))
            {
                Moving = true;
            }
            else if (Moving && speed < _settings.MovingSpeedMs / 2 && fromReport < _settings.MovingDistanceM / 2)
            {
                Moving = false;
            }

            long interval = Moving ? _settings.MovingIntervalMs : _settings.IdleIntervalMs;
            bool due = _reported == null || (Moving && !wasMoving) || uptimeMs - _reportedUptimeMs >= interval;
            if (!due)
            {
                return PositionDecision.NotDue;
            }

            _reported = fix;
            _reportedUptimeMs = uptimeMs;
            return PositionDecision.Report;
        }

        private bool IsJump(GnssFix from, long fromUptimeMs, GnssFix to, long toUptimeMs)
        {
            long elapsedMs = from.UtcMs >= 0 && to.UtcMs >= 0 ? to.UtcMs - from.UtcMs : toUptimeMs - fromUptimeMs;
            double seconds = elapsedMs <= 0 ? 0.001 : elapsedMs / 1000.0;
            double distance = GeoMath.DistanceMetres(from.Latitude, from.Longitude, to.Latitude, to.Longitude);
            return distance > (_settings.MaxSpeedMs * seconds) + from.AccuracyM + to.AccuracyM;
        }
    }
}
