using System;

namespace SmartSeal.Protocol.Geo
{
    /// <summary>
    /// Where a use token lets a seal be used. Coordinates are integers in 1e-7 degrees (the wire
    /// format), distances in whole metres. <see cref="Check"/> is allocation-free: it runs on the
    /// device for every stamp attempt.
    /// </summary>
    public abstract class GeoFence
    {
        /// <summary>Checks the definition; fences that fail are refused with the token that carries them.</summary>
        public abstract GeoFenceProblem Validate();

        /// <summary>Distance from the point to the boundary in metres: positive inside, negative outside.</summary>
        public abstract double SignedDistanceMetres(double lat, double lon);

        /// <summary>
        /// Accuracy-aware containment: <see cref="GeoFenceCheck.Inside"/> only when the whole
        /// circle of radius <paramref name="accuracyMetres"/> around the fix is inside.
        /// <paramref name="signedDistanceMetres"/> tells how far inside (+) or outside (−) the fix is.
        /// </summary>
        public GeoFenceCheck Check(double lat, double lon, double accuracyMetres, out double signedDistanceMetres)
        {
            signedDistanceMetres = 0;
            if (!GeoMath.IsValidLatitude(lat) || !GeoMath.IsValidLongitude(lon) || double.IsNaN(accuracyMetres) || accuracyMetres < 0 || double.IsInfinity(accuracyMetres))
            {
                return GeoFenceCheck.InvalidFix;
            }

            signedDistanceMetres = SignedDistanceMetres(lat, lon);
            if (signedDistanceMetres > 0 && signedDistanceMetres >= accuracyMetres)
            {
                return GeoFenceCheck.Inside;
            }

            if (signedDistanceMetres < 0 && -signedDistanceMetres > accuracyMetres)
            {
                return GeoFenceCheck.Outside;
            }

            return GeoFenceCheck.Uncertain;
        }

        public static double ToDegrees(int e7)
        {
            return e7 / 1e7;
        }

        public static int ToE7(double degrees)
        {
            return (int)Math.Round(degrees * 1e7);
        }
    }
}
