namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>A binary input a test or scenario sets; raises <see cref="Changed"/> on real changes only.</summary>
    public class FakeSwitch : ISwitch
    {
        public FakeSwitch(string name)
        {
            Name = name;
        }

        public event SwitchChangedHandler Changed;

        public string Name { get; private set; }

        public bool IsActive { get; private set; }

        public void Set(bool active, long uptimeMs)
        {
            if (active == IsActive)
            {
                return;
            }

            IsActive = active;
            SwitchChangedHandler handler = Changed;
            if (handler != null)
            {
                handler(this, active, uptimeMs);
            }
        }
    }
}
