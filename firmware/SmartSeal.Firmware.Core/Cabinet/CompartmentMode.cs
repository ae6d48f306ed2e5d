namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>One compartment's states (see hardware-docs/cabinet-states.md).</summary>
    public enum CompartmentMode
    {
        /// <summary>Latched with its seal inside.</summary>
        Locked = 0,

        /// <summary>Released for a verified collection; waiting for the seal's tag to leave.</summary>
        Dispensing = 1,

        /// <summary>The seal is out with its applicant.</summary>
        Out = 2,

        /// <summary>Released to take the seal back; only its own tag is accepted.</summary>
        Returning = 3,

        /// <summary>Something is wrong (wrong seal locked in, tag unreadable): needs a keeper.</summary>
        Fault = 4,
    }
}
