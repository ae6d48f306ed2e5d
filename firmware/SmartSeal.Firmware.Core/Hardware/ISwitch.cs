namespace SmartSeal.Firmware.Hardware
{
    /// <summary>Handler for a change of a binary input (door contact, stamp switch, tamper loop, button).</summary>
    public delegate void SwitchChangedHandler(ISwitch sender, bool active, long uptimeMs);

    /// <summary>
    /// A debounced binary input: door sensors (active = open), the stamp switch (active = pressed
    /// down on paper), the tamper loop (active = case opened or loop cut), the user button.
    /// </summary>
    public interface ISwitch
    {
        /// <summary>Short stable name used in events and logs ("door-3", "stamp", "tamper-case").</summary>
        string Name { get; }

        bool IsActive { get; }

        event SwitchChangedHandler Changed;
    }
}
