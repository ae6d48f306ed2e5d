using System.Collections;

namespace SmartSeal.Firmware.Lock
{
    /// <summary>The result of one step: the new state and the effects to carry out, in order.</summary>
    public class LockTransition
    {
        public LockTransition(LockState state)
        {
            State = state;
            Effects = new ArrayList();
        }

        public LockState State { get; private set; }

        /// <summary><see cref="LockEffect"/> items.</summary>
        public ArrayList Effects { get; private set; }

        public LockEffect Add(LockEffectKind kind)
        {
            LockEffect effect = new LockEffect();
            effect.Kind = kind;
            Effects.Add(effect);
            return effect;
        }
    }
}
