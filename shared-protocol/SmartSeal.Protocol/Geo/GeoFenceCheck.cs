namespace SmartSeal.Protocol.Geo
{
    /// <summary>Where a fix lies relative to a fence, taking its accuracy into account.</summary>
    public enum GeoFenceCheck
    {
        /// <summary>Inside even if the true position is anywhere within the fix's accuracy.</summary>
        Inside = 0,

        /// <summary>Outside even allowing for the accuracy.</summary>
        Outside = 1,

        /// <summary>The accuracy circle straddles the boundary: not precise enough to say inside.</summary>
        Uncertain = 2,

        /// <summary>The fix itself is unusable (NaN, out of range, negative accuracy).</summary>
        InvalidFix = 3,
    }
}
