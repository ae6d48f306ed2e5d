using Iot.Device.Mfrc522;
using Iot.Device.Rfid;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// The compartment's seal tag through the .NET IoT MFRC522 binding (ISO 14443 type A). The field
/// is cycled before every read so a tag selected by the previous read is back in IDLE and answers
/// the next REQA: a seal that stays in its compartment keeps reading as present.
/// </summary>
public sealed class Mfrc522SealTagReader(MfRc522 reader) : ISealTagReader, IDisposable
{
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromMilliseconds(30);

    public string Read()
    {
        try
        {
            reader.Enabled = false;
            reader.Enabled = true;
            if (!reader.ListenToCardIso14443TypeA(out Data106kbpsTypeA card, ListenTimeout))
            {
                return TagReading.None;
            }

            return card.NfcId is { Length: > 0 } id ? Convert.ToHexString(id) : TagReading.Unreadable;
        }
        catch (IOException)
        {
            return TagReading.Unreadable;
        }
    }

    public void Dispose() => reader.Dispose();
}
