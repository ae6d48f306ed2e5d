using System;

namespace SmartSeal.Protocol
{
    /// <summary>
    /// Raised inside the protocol layer when input is malformed. Public decode entry points catch
    /// it and return the <see cref="ProtocolError"/>; it never escapes them.
    /// </summary>
    public class ProtocolException : Exception
    {
        public ProtocolException(ProtocolError error, string detail)
            : base(detail)
        {
            Error = error;
        }

        public ProtocolError Error { get; private set; }
    }
}
