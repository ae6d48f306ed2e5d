using SmartSeal.Firmware.Device;

namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>The result of one compartment step: the new state and the effects to carry out, in order.</summary>
    public class CompartmentTransition : Transition
    {
        public CompartmentTransition(CompartmentState state)
        {
            State = state;
        }

        public CompartmentState State { get; private set; }
    }
}
