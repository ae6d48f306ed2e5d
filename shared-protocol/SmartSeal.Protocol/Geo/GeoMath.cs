using System;

namespace SmartSeal.Protocol.Geo
{
    /// <summary>Spherical-Earth helpers shared by the fences (double precision, no allocation).</summary>
    public static class GeoMath
    {
        /// <summary>IUGG mean Earth radius, metres.</summary>
        public const double EarthRadiusMetres = 6371008.8;

        public const double DegreesToRadians = Math.PI / 180.0;

        /// <summary>Great-circle distance in metres (haversine; stable for small and antipodal distances).</summary>
        public static double DistanceMetres(double lat1, double lon1, double lat2, double lon2)
        {
            double phi1 = lat1 * DegreesToRadians;
            double phi2 = lat2 * DegreesToRadians;
            double dPhi = phi2 - phi1;
            double dLambda = NormaliseLongitudeDelta(lon2 - lon1) * DegreesToRadians;
            double sinPhi = Math.Sin(dPhi / 2);
            double sinLambda = Math.Sin(dLambda / 2);
            double a = (sinPhi * sinPhi) + (Math.Cos(phi1) * Math.Cos(phi2) * sinLambda * sinLambda);
            if (a > 1)
            {
                a = 1;
            }

            return 2 * EarthRadiusMetres * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
        }

        /// <summary>Brings a longitude difference into [-180, 180), so fences may cross the antimeridian.</summary>
        public static double NormaliseLongitudeDelta(double delta)
        {
            while (delta >= 180)
            {
                delta -= 360;
            }

            while (delta < -180)
            {
                delta += 360;
            }

            return delta;
        }

        /// <summary>
        /// Local equirectangular projection around (lat0, lon0): metres east (x) and north (y).
        /// Error stays below ~0.5 % for points within 100 km of the origin away from the poles.
        /// </summary>
        public static double EastMetres(double lat0, double lon0, double lat, double lon)
        {
            double meanLat = ((lat0 + lat) / 2) * DegreesToRadians;
            return NormaliseLongitudeDelta(lon - lon0) * DegreesToRadians * Math.Cos(meanLat) * EarthRadiusMetres;
        }

        public static double NorthMetres(double lat0, double lat)
        {
            return (lat - lat0) * DegreesToRadians * EarthRadiusMetres;
        }

        public static bool IsValidLatitude(double lat)
        {
            return !double.IsNaN(lat) && lat >= -90 && lat <= 90;
        }

        public static bool IsValidLongitude(double lon)
        {
            return !double.IsNaN(lon) && lon >= -180 && lon <= 180;
        }
    }
}
