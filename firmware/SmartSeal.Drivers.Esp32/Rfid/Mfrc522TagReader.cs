using System;
using System.Device.Spi;
using Iot.Device.Mfrc522;
using Iot.Device.Rfid;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Rfid
{
    /// <summary>
    /// Reads the ISO 14443 type A tag fixed to a seal with an MFRC522 on the shared SPI bus (one
    /// chip-select per reader). The RF field is switched off and on before every read so a tag that
    /// was selected by the previous read is back in IDLE and answers again: a seal that stays in
    /// its compartment keeps reading as present.
    /// </summary>
    public class Mfrc522TagReader : ISealTagReader
    {
        private static readonly TimeSpan ListenTimeout = TimeSpan.FromTicks(30 * TimeSpan.TicksPerMillisecond);

        private readonly MfRc522 _reader;

        public Mfrc522TagReader(int spiBusId, int chipSelectPin)
        {
            SpiConnectionSettings settings = new SpiConnectionSettings(spiBusId, chipSelectPin);
            settings.ClockFrequency = 5000000;
            settings.Mode = SpiMode.Mode0;
            _reader = new MfRc522(SpiDevice.Create(settings), -1, null, true);
            _reader.Gain = Gain.G48dB;
        }

        public string Read()
        {
            try
            {
                _reader.Enabled = false;
                _reader.Enabled = true;
                Data106kbpsTypeA card;
                if (!_reader.ListenToCardIso14443TypeA(out card, ListenTimeout))
                {
                    return TagReading.None;
                }

                return card.NfcId == null || card.NfcId.Length == 0 ? TagReading.Unreadable : Hex(card.NfcId);
            }
            catch (Exception)
            {
                return TagReading.Unreadable;
            }
        }

        private static string Hex(byte[] id)
        {
            const string digits = "0123456789ABCDEF";
            char[] text = new char[id.Length * 2];
            for (int i = 0; i < id.Length; i++)
            {
                text[2 * i] = digits[id[i] >> 4];
                text[(2 * i) + 1] = digits[id[i] & 0x0F];
            }

            return new string(text);
        }
    }
}
