namespace SmartSeal.Firmware.Hardware.Fakes
{
    public class FakeIndicator : IIndicator
    {
        public IndicatorPattern Current { get; private set; }

        public void Show(IndicatorPattern pattern)
        {
            Current = pattern;
        }
    }
}
