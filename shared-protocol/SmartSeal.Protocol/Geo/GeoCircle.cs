namespace SmartSeal.Protocol.Geo
{
    /// <summary>A circle around a centre, measured on the sphere (haversine): works at any longitude and near the poles.</summary>
    public class GeoCircle : GeoFence
    {
        /// <summary>Largest radius accepted: 1,000 km is far more than any approval needs.</summary>
        public const int MaxRadiusMetres = 1000000;

        public GeoCircle(int centreLatE7, int centreLonE7, int radiusMetres)
        {
            CentreLatE7 = centreLatE7;
            CentreLonE7 = centreLonE7;
            RadiusMetres = radiusMetres;
        }

        public int CentreLatE7 { get; private set; }

        public int CentreLonE7 { get; private set; }

        public int RadiusMetres { get; private set; }

        public override GeoFenceProblem Validate()
        {
            if (CentreLatE7 < -900000000 || CentreLatE7 > 900000000)
            {
                return GeoFenceProblem.LatitudeOutOfRange;
            }

            if (CentreLonE7 < -1800000000 || CentreLonE7 > 1800000000)
            {
                return GeoFenceProblem.LongitudeOutOfRange;
            }

            if (RadiusMetres <= 0)
            {
                return GeoFenceProblem.RadiusNotPositive;
            }

            return RadiusMetres > MaxRadiusMetres ? GeoFenceProblem.RadiusTooLarge : GeoFenceProblem.None;
        }

        public override double SignedDistanceMetres(double lat, double lon)
        {
            return RadiusMetres - GeoMath.DistanceMetres(ToDegrees(CentreLatE7), ToDegrees(CentreLonE7), lat, lon);
        }
    }
}
