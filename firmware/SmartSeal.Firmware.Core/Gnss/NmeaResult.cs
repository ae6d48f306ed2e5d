namespace SmartSeal.Firmware.Gnss
{
    /// <summary>What became of one NMEA line. Every line gets exactly one result; nothing is dropped silently.</summary>
    public enum NmeaResult
    {
        /// <summary>An RMC, GGA, GLL, VTG or ZDA sentence, parsed.</summary>
        Parsed = 0,

        /// <summary>A well-formed sentence of a type we do not use (GSV, GSA, GNS, TXT, proprietary $P...).</summary>
        Ignored = 1,

        /// <summary>The '*hh' checksum does not match.</summary>
        BadChecksum = 2,

        /// <summary>No '*hh' checksum (refused: a corrupted line could pass).</summary>
        NoChecksum = 3,

        /// <summary>Not NMEA: no '$', bad address field, binary noise, too few fields.</summary>
        Malformed = 4,

        /// <summary>Well-formed but impossible: latitude over 90°, minutes ≥ 60, month 13, hour 25 ...</summary>
        ImpossibleValue = 5,

        /// <summary>Longer than the line buffer; discarded up to the next line end.</summary>
        Overlong = 6,
    }
}
