namespace SmartSeal.Firmware.Hardware.Fakes
{
    public class FakeBattery : IBattery
    {
        public FakeBattery()
        {
            MilliVolts = 4000;
            Percent = 80;
        }

        public int MilliVolts { get; set; }

        public int Percent { get; set; }

        public bool IsCharging { get; set; }
    }
}
