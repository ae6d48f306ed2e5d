namespace SmartSeal.Firmware.Gnss
{
    /// <summary>
    /// Parses one NMEA 0183 line (without CR/LF) into an <see cref="NmeaSentence"/>: RMC, GGA, GLL,
    /// VTG and ZDA from any talker (GP, GN, GL, GA, BD, GB, GQ, EC ...); everything else well-formed is
    /// <see cref="NmeaResult.Ignored"/>. Works on byte offsets into the caller's buffer: no strings,
    /// no allocation per line. A checksum is required.
    /// </summary>
    public class NmeaParser
    {
        public const int MaxFields = 40;
        private const double KnotsToMs = 1852.0 / 3600.0;

        private readonly int[] _fieldStart = new int[MaxFields];
        private readonly int[] _fieldEnd = new int[MaxFields];
        private byte[] _line;
        private int _fieldCount;

        public NmeaResult Parse(byte[] line, int offset, int length, NmeaSentence sentence)
        {
            sentence.Clear();
            _line = line;
            int end = offset + length;
            if (length < 8 || line[offset] != '$')
            {
                return NmeaResult.Malformed;
            }

            int star = -1;
            byte sum = 0;
            for (int i = offset + 1; i < end; i++)
            {
                byte b = line[i];
                if (b == '*')
                {
                    star = i;
                    break;
                }

                if (b < 0x20 || b > 0x7E || b == '$')
                {
                    return NmeaResult.Malformed;
                }

                sum ^= b;
            }

            if (star < 0)
            {
                return NmeaResult.NoChecksum;
            }

            if (star != end - 3)
            {
                return NmeaResult.Malformed;
            }

            int high = HexValue(line[star + 1]);
            int low = HexValue(line[star + 2]);
            if (high < 0 || low < 0)
            {
                return NmeaResult.Malformed;
            }

            if (((high << 4) | low) != sum)
            {
                return NmeaResult.BadChecksum;
            }

            if (!SplitFields(offset + 1, star))
            {
                return NmeaResult.Malformed;
            }

            int addressLength = _fieldEnd[0] - _fieldStart[0];
            int a = _fieldStart[0];
            if (addressLength >= 1 && line[a] == 'P')
            {
                return NmeaResult.Ignored; // proprietary sentence
            }

            if (addressLength < 2 || addressLength > 10 || !IsUpperAlnum(line, a, a + addressLength))
            {
                return NmeaResult.Malformed;
            }

            if (addressLength != 5)
            {
                return NmeaResult.Ignored; // well-formed vendor sentence ($SNRSTAT, $GYOACC ...)
            }

            sentence.Talker1 = (char)line[a];
            sentence.Talker2 = (char)line[a + 1];
            if (line[a + 2] == 'R' && line[a + 3] == 'M' && line[a + 4] == 'C')
            {
                sentence.Kind = NmeaSentenceKind.Rmc;
                return ParseRmc(sentence);
            }

            if (line[a + 2] == 'G' && line[a + 3] == 'G' && line[a + 4] == 'A')
            {
                sentence.Kind = NmeaSentenceKind.Gga;
                return ParseGga(sentence);
            }

            if (line[a + 2] == 'Z' && line[a + 3] == 'D' && line[a + 4] == 'A')
            {
                sentence.Kind = NmeaSentenceKind.Zda;
                return ParseZda(sentence);
            }

            if (line[a + 2] == 'G' && line[a + 3] == 'L' && line[a + 4] == 'L')
            {
                sentence.Kind = NmeaSentenceKind.Gll;
                return ParseGll(sentence);
            }

            if (line[a + 2] == 'V' && line[a + 3] == 'T' && line[a + 4] == 'G')
            {
                sentence.Kind = NmeaSentenceKind.Vtg;
                return ParseVtg(sentence);
            }

            return NmeaResult.Ignored;
        }

        /// <summary>GLL: lat, N/S, lon, E/W, time, status A/V[, mode A/D/E/N... from NMEA 2.3].</summary>
        private NmeaResult ParseGll(NmeaSentence s)
        {
            if (_fieldCount < 7)
            {
                return NmeaResult.Malformed; // old NMEA 1.x GLL without time and status: cannot be placed in a cycle
            }

            NmeaResult result = ParsePosition(1, s);
            if (result != NmeaResult.Parsed)
            {
                return result;
            }

            result = ParseTime(5, s);
            if (result != NmeaResult.Parsed)
            {
                return result;
            }

            bool statusActive = FieldLength(6) == 1 && _line[_fieldStart[6]] == 'A';
            bool modeNotValid = _fieldCount > 7 && FieldLength(7) == 1 && _line[_fieldStart[7]] == 'N';
            s.Valid = statusActive && !modeNotValid && !double.IsNaN(s.Latitude) && s.TimeOfDayMs >= 0;
            return NmeaResult.Parsed;
        }

        /// <summary>
        /// VTG: course true, T, course magnetic, M, speed knots, N, speed km/h, K[, mode]. Receivers
        /// before NMEA 2.3 may send the four values without the unit letters.
        /// </summary>
        private NmeaResult ParseVtg(NmeaSentence s)
        {
            int knotsField;
            int kmhField;
            if (_fieldCount >= 9 && FieldLength(2) <= 1)
            {
                if ((FieldLength(2) == 1 && _line[_fieldStart[2]] != 'T') || (FieldLength(6) == 1 && _line[_fieldStart[6]] != 'N'))
                {
                    return NmeaResult.Malformed;
                }

                knotsField = 5;
                kmhField = 7;
            }
            else if (_fieldCount == 5)
            {
                knotsField = 3;
                kmhField = 4;
            }
            else
            {
                return NmeaResult.Malformed;
            }

            double course;
            int state = ParseNumber(1, out course);
            if (state == FieldBad || (state == FieldOk && (course < 0 || course > 360)))
            {
                return NmeaResult.ImpossibleValue;
            }

            double knots;
            int speedState = ParseNumber(knotsField, out knots);
            double kmh = 0;
            if (speedState == FieldEmpty)
            {
                speedState = ParseNumber(kmhField, out kmh); // some receivers fill only km/h
                knots = kmh * 1000.0 / 1852.0;
            }

            if (speedState == FieldBad || (speedState == FieldOk && knots < 0))
            {
                return NmeaResult.ImpossibleValue;
            }

            bool modeNotValid = knotsField == 5 && _fieldCount > 9 && FieldLength(9) == 1 && _line[_fieldStart[9]] == 'N';
            if (!modeNotValid)
            {
                if (state == FieldOk)
                {
                    s.CourseDeg = course;
                }

                if (speedState == FieldOk)
                {
                    s.SpeedMs = knots * KnotsToMs;
                }
            }

            s.Valid = !modeNotValid && speedState == FieldOk;
            return NmeaResult.Parsed;
        }

        private NmeaResult ParseZda(NmeaSentence s)
        {
            if (_fieldCount < 5)
            {
                return NmeaResult.Malformed;
            }

            NmeaResult result = ParseTime(1, s);
            if (result != NmeaResult.Parsed || FieldLength(2) == 0)
            {
                return result;
            }

            if (FieldLength(2) != 2 || FieldLength(3) != 2 || FieldLength(4) != 4 || !AllDigits(_fieldStart[2], _fieldEnd[2])
                || !AllDigits(_fieldStart[3], _fieldEnd[3]) || !AllDigits(_fieldStart[4], _fieldEnd[4]))
            {
                return NmeaResult.Malformed;
            }

            int day = TwoDigits(_fieldStart[2]);
            int month = TwoDigits(_fieldStart[3]);
            int year = (TwoDigits(_fieldStart[4]) * 100) + TwoDigits(_fieldStart[4] + 2);
            if (year < 1980 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
            {
                return NmeaResult.ImpossibleValue;
            }

            s.Year = year;
            s.Month = month;
            s.Day = day;
            return NmeaResult.Parsed;
        }

        private NmeaResult ParseRmc(NmeaSentence s)
        {
            if (_fieldCount < 10)
            {
                return NmeaResult.Malformed;
            }

            NmeaResult result = ParseTime(1, s);
            if (result != NmeaResult.Parsed)
            {
                return result;
            }

            result = ParsePosition(3, s);
            if (result != NmeaResult.Parsed)
            {
                return result;
            }

            double knots;
            int state = ParseNumber(7, out knots);
            if (state == FieldBad || (state == FieldOk && knots < 0))
            {
                return NmeaResult.ImpossibleValue;
            }

            if (state == FieldOk)
            {
                s.SpeedMs = knots * KnotsToMs;
            }

            double course;
            state = ParseNumber(8, out course);
            if (state == FieldBad || (state == FieldOk && (course < 0 || course > 360)))
            {
                return NmeaResult.ImpossibleValue;
            }

            if (state == FieldOk)
            {
                s.CourseDeg = course;
            }

            result = ParseDate(9, s);
            if (result != NmeaResult.Parsed)
            {
                return result;
            }

            bool statusActive = FieldLength(2) == 1 && _line[_fieldStart[2]] == 'A';
            bool modeNotValid = _fieldCount > 12 && FieldLength(12) == 1 && _line[_fieldStart[12]] == 'N';
            s.Valid = statusActive && !modeNotValid && !double.IsNaN(s.Latitude) && s.TimeOfDayMs >= 0;
            return NmeaResult.Parsed;
        }

        private NmeaResult ParseGga(NmeaSentence s)
        {
            if (_fieldCount < 10)
            {
                return NmeaResult.Malformed;
            }

            NmeaResult result = ParseTime(1, s);
            if (result != NmeaResult.Parsed)
            {
                return result;
            }

            result = ParsePosition(2, s);
            if (result != NmeaResult.Parsed)
            {
                return result;
            }

            double value;
            int state = ParseNumber(6, out value);
            if (state == FieldBad || (state == FieldOk && (value < 0 || value > 9 || value != (int)value)))
            {
                return NmeaResult.ImpossibleValue;
            }

            s.Quality = state == FieldOk ? (int)value : 0;
            state = ParseNumber(7, out value);
            if (state == FieldBad || (state == FieldOk && (value < 0 || value > 255)))
            {
                return NmeaResult.ImpossibleValue;
            }

            s.Satellites = state == FieldOk ? (int)value : -1;
            state = ParseNumber(8, out value);
            if (state == FieldBad || (state == FieldOk && value < 0))
            {
                return NmeaResult.ImpossibleValue;
            }

            if (state == FieldOk)
            {
                s.Hdop = value;
            }

            state = ParseNumber(9, out value);
            if (state == FieldBad || (state == FieldOk && (value < -1000 || value > 100000)))
            {
                return NmeaResult.ImpossibleValue;
            }

            if (state == FieldOk)
            {
                s.AltitudeMsl = value;
            }

            s.Valid = s.Quality > 0 && !double.IsNaN(s.Latitude);
            return NmeaResult.Parsed;
        }

        private NmeaResult ParseTime(int field, NmeaSentence s)
        {
            int start = _fieldStart[field];
            int length = FieldLength(field);
            if (length == 0)
            {
                return NmeaResult.Parsed;
            }

            if (length < 6 || !AllDigits(start, start + 6))
            {
                return NmeaResult.Malformed;
            }

            int hours = TwoDigits(start);
            int minutes = TwoDigits(start + 2);
            int seconds = TwoDigits(start + 4);
            long millis = 0;
            if (length > 6)
            {
                if (_line[start + 6] != '.' || length == 7 || !AllDigits(start + 7, start + length))
                {
                    return NmeaResult.Malformed;
                }

                // Milliseconds from the first three fraction digits; further digits are below resolution.
                int scale = 100;
                for (int i = start + 7; i < start + length && scale > 0; i++)
                {
                    millis += (_line[i] - '0') * scale;
                    scale /= 10;
                }
            }

            if (hours > 23 || minutes > 59 || seconds > 60)
            {
                return NmeaResult.ImpossibleValue;
            }

            s.TimeOfDayMs = (((hours * 60L) + minutes) * 60L + seconds) * 1000L + millis;
            return NmeaResult.Parsed;
        }

        private NmeaResult ParseDate(int field, NmeaSentence s)
        {
            int start = _fieldStart[field];
            int length = FieldLength(field);
            if (length == 0)
            {
                return NmeaResult.Parsed;
            }

            if (length != 6 || !AllDigits(start, start + 6))
            {
                return NmeaResult.Malformed;
            }

            int day = TwoDigits(start);
            int month = TwoDigits(start + 2);
            int yy = TwoDigits(start + 4);
            int year = yy < 80 ? 2000 + yy : 1900 + yy;
            if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
            {
                return NmeaResult.ImpossibleValue;
            }

            s.Year = year;
            s.Month = month;
            s.Day = day;
            return NmeaResult.Parsed;
        }

        /// <summary>Latitude (ddmm.mmm, N/S) at <paramref name="field"/>, longitude (dddmm.mmm, E/W) after it.</summary>
        private NmeaResult ParsePosition(int field, NmeaSentence s)
        {
            double lat;
            double lon;
            int latState = ParseNumber(field, out lat);
            int lonState = ParseNumber(field + 2, out lon);
            if (latState == FieldEmpty && lonState == FieldEmpty)
            {
                return NmeaResult.Parsed;
            }

            if (latState != FieldOk || lonState != FieldOk || FieldLength(field + 1) != 1 || FieldLength(field + 3) != 1)
            {
                return latState == FieldBad || lonState == FieldBad ? NmeaResult.Malformed : NmeaResult.ImpossibleValue;
            }

            byte ns = _line[_fieldStart[field + 1]];
            byte ew = _line[_fieldStart[field + 3]];
            if ((ns != 'N' && ns != 'S') || (ew != 'E' && ew != 'W'))
            {
                return NmeaResult.Malformed;
            }

            double latDegrees = (int)(lat / 100);
            double latMinutes = lat - (latDegrees * 100);
            double lonDegrees = (int)(lon / 100);
            double lonMinutes = lon - (lonDegrees * 100);
            if (lat < 0 || lon < 0 || latMinutes >= 60 || lonMinutes >= 60)
            {
                return NmeaResult.ImpossibleValue;
            }

            double latitude = latDegrees + (latMinutes / 60.0);
            double longitude = lonDegrees + (lonMinutes / 60.0);
            if (latitude > 90 || longitude > 180)
            {
                return NmeaResult.ImpossibleValue;
            }

            s.Latitude = ns == 'S' ? -latitude : latitude;
            s.Longitude = ew == 'W' ? -longitude : longitude;
            return NmeaResult.Parsed;
        }

        private const int FieldOk = 0;
        private const int FieldEmpty = 1;
        private const int FieldBad = 2;

        /// <summary>Parses [-]digits[.digits] without culture or allocation.</summary>
        private int ParseNumber(int field, out double value)
        {
            value = 0;
            if (field >= _fieldCount)
            {
                return FieldEmpty;
            }

            int i = _fieldStart[field];
            int end = _fieldEnd[field];
            if (i == end)
            {
                return FieldEmpty;
            }

            bool negative = _line[i] == '-';
            if (negative)
            {
                i++;
            }

            long mantissa = 0;
            int fractionDigits = 0;
            bool seenDot = false;
            bool seenDigit = false;
            for (; i < end; i++)
            {
                byte b = _line[i];
                if (b == '.' && !seenDot)
                {
                    seenDot = true;
                    continue;
                }

                if (b < '0' || b > '9')
                {
                    return FieldBad;
                }

                seenDigit = true;
                if (mantissa < 100000000000000L)
                {
                    mantissa = (mantissa * 10) + (b - '0');
                    if (seenDot)
                    {
                        fractionDigits++;
                    }
                }
                else if (!seenDot)
                {
                    return FieldBad; // absurdly long integer part
                }
            }

            if (!seenDigit)
            {
                return FieldBad;
            }

            double result = mantissa;
            for (int k = 0; k < fractionDigits; k++)
            {
                result /= 10.0;
            }

            value = negative ? -result : result;
            return FieldOk;
        }

        private bool SplitFields(int start, int end)
        {
            _fieldCount = 0;
            int fieldStart = start;
            for (int i = start; i <= end; i++)
            {
                if (i == end || _line[i] == ',')
                {
                    if (_fieldCount == MaxFields)
                    {
                        return false;
                    }

                    _fieldStart[_fieldCount] = fieldStart;
                    _fieldEnd[_fieldCount] = i;
                    _fieldCount++;
                    fieldStart = i + 1;
                }
            }

            return _fieldCount >= 2;
        }

        private int FieldLength(int field)
        {
            return field < _fieldCount ? _fieldEnd[field] - _fieldStart[field] : 0;
        }

        private bool AllDigits(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (_line[i] < '0' || _line[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private int TwoDigits(int at)
        {
            return ((_line[at] - '0') * 10) + (_line[at + 1] - '0');
        }

        private static bool IsUpperAlnum(byte[] line, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                byte b = line[i];
                if (!((b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')))
                {
                    return false;
                }
            }

            return true;
        }

        private static int HexValue(byte c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return -1;
        }

        private static int DaysInMonth(int year, int month)
        {
            if (month == 2)
            {
                bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            }

            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }
    }
}
