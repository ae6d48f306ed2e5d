namespace SmartSeal.Firmware.Hardware
{
    public enum IndicatorPattern
    {
        Off = 0,
        Ready = 1,
        Working = 2,
        Unlocked = 3,
        Refused = 4,
        Alarm = 5,
        Disabled = 6,
    }

    /// <summary>LED and buzzer: what the person at the device sees and hears.</summary>
    public interface IIndicator
    {
        void Show(IndicatorPattern pattern);
    }
}
