namespace SmartSeal.Firmware.Gnss
{
    /// <summary>Receives each completed fix.</summary>
    public delegate void GnssFixHandler(GnssFix fix);

    /// <summary>
    /// Merges the sentences of one reporting cycle (same UTC time of day) into a <see cref="GnssFix"/>
    /// and emits it when the next cycle starts (or on <see cref="Flush"/>). Remembers the last RMC
    /// date so GGA-only cycles get a full timestamp. GLL counts like RMC (position, time, status);
    /// VTG has no time and fills speed and course of the cycle in progress.
    /// </summary>
    public class GnssFixBuilder
    {
        /// <summary>User equivalent range error assumed for a plain GNSS fix, metres (accuracy ≈ HDOP × UERE).</summary>
        public const double UereMetres = 5.0;

        /// <summary>Accuracy assumed when the cycle has no HDOP (RMC-only receivers), metres.</summary>
        public const double UnknownAccuracyMetres = 25.0;

        private readonly GnssFixHandler _handler;
        private GnssFix _current;
        private bool _sawRmc;
        private bool _rmcValid;
        private bool _sawGga;
        private bool _ggaValid;
        private bool _sawGll;
        private bool _gllValid;
        private long _dateMs = -1;

        public GnssFixBuilder(GnssFixHandler handler)
        {
            _handler = handler;
        }

        public void Add(NmeaSentence sentence)
        {
            if (sentence.Kind == NmeaSentenceKind.Vtg)
            {
                AddCourseAndSpeed(sentence);
                return;
            }

            if (sentence.TimeOfDayMs < 0 || sentence.Kind == NmeaSentenceKind.Other)
            {
                return; // a sentence without time cannot be placed in a cycle
            }

            if (sentence.Kind == NmeaSentenceKind.Zda)
            {
                if (sentence.Year > 0)
                {
                    _dateMs = DaysSinceUnixEpoch(sentence.Year, sentence.Month, sentence.Day) * 86400000L;
                }

                return; // dates only; a ZDA neither opens nor closes a cycle
            }

            if (_current != null && _current.TimeOfDayMs != sentence.TimeOfDayMs)
            {
                Flush();
            }

            if (_current == null)
            {
                Start(sentence);
            }

            if (!double.IsNaN(sentence.Latitude))
            {
                _current.Latitude = sentence.Latitude;
                _current.Longitude = sentence.Longitude;
            }

            if (sentence.Kind == NmeaSentenceKind.Rmc)
            {
                _sawRmc = true;
                _rmcValid = sentence.Valid;
                if (sentence.Year > 0)
                {
                    _dateMs = DaysSinceUnixEpoch(sentence.Year, sentence.Month, sentence.Day) * 86400000L;
                }

                _current.SpeedMs = sentence.SpeedMs;
                _current.CourseDeg = sentence.CourseDeg;
            }
            else if (sentence.Kind == NmeaSentenceKind.Gll)
            {
                _sawGll = true;
                _gllValid = sentence.Valid;
            }
            else
            {
                _sawGga = true;
                _ggaValid = sentence.Valid;
                _current.Quality = sentence.Quality;
                _current.Satellites = sentence.Satellites;
                _current.Hdop = sentence.Hdop;
                _current.AltitudeMsl = sentence.AltitudeMsl;
            }
        }

        /// <summary>
        /// A VTG belongs to the cycle in progress (receivers send it after that cycle's timed
        /// sentences); it fills speed and course only where the cycle has none (RMC's win).
        /// </summary>
        private void AddCourseAndSpeed(NmeaSentence vtg)
        {
            if (_current == null || !vtg.Valid)
            {
                return;
            }

            if (double.IsNaN(_current.SpeedMs))
            {
                _current.SpeedMs = vtg.SpeedMs;
            }

            if (double.IsNaN(_current.CourseDeg))
            {
                _current.CourseDeg = vtg.CourseDeg;
            }
        }

        /// <summary>Emits the cycle in progress, if any.</summary>
        public void Flush()
        {
            if (_current == null)
            {
                return;
            }

            GnssFix fix = _current;
            _current = null;
            fix.UtcMs = _dateMs >= 0 ? _dateMs + fix.TimeOfDayMs : -1;
            fix.Valid = !double.IsNaN(fix.Latitude) && (_sawRmc || _sawGga || _sawGll)
                && (!_sawRmc || _rmcValid) && (!_sawGga || _ggaValid) && (!_sawGll || _gllValid);
            fix.AccuracyM = double.IsNaN(fix.Latitude) ? double.NaN : EstimateAccuracy(fix);
            _handler(fix);
        }

        /// <summary>HDOP × a per-quality error, or a conservative default when HDOP is unknown.</summary>
        public static double EstimateAccuracy(GnssFix fix)
        {
            if (double.IsNaN(fix.Hdop) || fix.Hdop <= 0)
            {
                return UnknownAccuracyMetres;
            }

            double uere;
            switch (fix.Quality)
            {
                case 2:
                    uere = 1.5; // DGNSS / SBAS
                    break;
                case 4:
                    uere = 0.05; // RTK fixed
                    break;
                case 5:
                    uere = 0.5; // RTK float
                    break;
                case 6:
                    uere = 50; // dead reckoning
                    break;
                default:
                    uere = UereMetres;
                    break;
            }

            return fix.Hdop * uere;
        }

        /// <summary>Days from 1970-01-01 to a proleptic Gregorian date (integer arithmetic, any year).</summary>
        public static long DaysSinceUnixEpoch(int year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yearOfEra = y - (era * 400);
            long dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
            long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            return (era * 146097) + dayOfEra - 719468;
        }

        private void Start(NmeaSentence sentence)
        {
            _current = new GnssFix();
            _current.TimeOfDayMs = sentence.TimeOfDayMs;
            _current.Latitude = double.NaN;
            _current.Longitude = double.NaN;
            _current.Quality = -1;
            _current.Satellites = -1;
            _current.Hdop = double.NaN;
            _current.AltitudeMsl = double.NaN;
            _current.SpeedMs = double.NaN;
            _current.CourseDeg = double.NaN;
            _current.Talker = new string(new char[] { sentence.Talker1, sentence.Talker2 });
            _sawRmc = false;
            _sawGga = false;
            _rmcValid = false;
            _ggaValid = false;
            _sawGll = false;
            _gllValid = false;
        }
    }
}
