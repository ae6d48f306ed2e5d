using System.Collections;

namespace SmartSeal.Firmware.Device
{
    /// <summary>The effects of one state-machine step, in the order a controller must carry them out.</summary>
    public class Transition
    {
        public Transition()
        {
            Effects = new ArrayList();
        }

        /// <summary><see cref="DeviceEffect"/> items.</summary>
        public ArrayList Effects { get; private set; }

        public DeviceEffect Add(DeviceEffectKind kind)
        {
            DeviceEffect effect = new DeviceEffect();
            effect.Kind = kind;
            Effects.Add(effect);
            return effect;
        }
    }
}
