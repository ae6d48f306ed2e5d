namespace SmartSeal.Protocol.Geo
{
    /// <summary>Why a fence definition is unusable. Numeric values are stable.</summary>
    public enum GeoFenceProblem
    {
        None = 0,
        LatitudeOutOfRange = 1,
        LongitudeOutOfRange = 2,
        RadiusNotPositive = 3,
        RadiusTooLarge = 4,
        TooFewVertices = 5,
        TooManyVertices = 6,
        DuplicateVertex = 7,
        ZeroArea = 8,
        SelfIntersecting = 9,
        TooLarge = 10,
        TooCloseToPole = 11,
    }
}
