using System;

namespace SmartSeal.Protocol.Geo
{
    /// <summary>
    /// A simple polygon (no self-intersections), given by its vertices in order, either winding.
    /// Checked in a local tangent plane centred on the fix, with longitudes unwrapped relative to
    /// it, so fences across the antimeridian work; fences are limited to 200 km across and to
    /// |latitude| ≤ 85° where that projection stays within ~0.5 %.
    /// </summary>
    public class GeoPolygon : GeoFence
    {
        public const int MinVertices = 3;

        /// <summary>Upper bound that keeps the device's work and memory per check small.</summary>
        public const int MaxVertices = 64;

        public const double MaxExtentMetres = 200000;

        public const int MaxAbsLatitudeE7 = 850000000;

        private readonly int[] _latE7;
        private readonly int[] _lonE7;

        public GeoPolygon(int[] latE7, int[] lonE7)
        {
            if (latE7 == null || lonE7 == null || latE7.Length != lonE7.Length)
            {
                throw new ArgumentException("latitude and longitude arrays must have the same length");
            }

            _latE7 = latE7;
            _lonE7 = lonE7;
        }

        public int VertexCount
        {
            get { return _latE7.Length; }
        }

        public int LatE7(int index)
        {
            return _latE7[index];
        }

        public int LonE7(int index)
        {
            return _lonE7[index];
        }

        public override GeoFenceProblem Validate()
        {
            int n = _latE7.Length;
            if (n < MinVertices)
            {
                return GeoFenceProblem.TooFewVertices;
            }

            if (n > MaxVertices)
            {
                return GeoFenceProblem.TooManyVertices;
            }

            for (int i = 0; i < n; i++)
            {
                if (_latE7[i] < -900000000 || _latE7[i] > 900000000)
                {
                    return GeoFenceProblem.LatitudeOutOfRange;
                }

                if (_lonE7[i] < -1800000000 || _lonE7[i] > 1800000000)
                {
                    return GeoFenceProblem.LongitudeOutOfRange;
                }
            }

            for (int i = 0; i < n; i++)
            {
                if (_latE7[i] > MaxAbsLatitudeE7 || _latE7[i] < -MaxAbsLatitudeE7)
                {
                    return GeoFenceProblem.TooCloseToPole;
                }

                int next = (i + 1) % n;
                if (_latE7[i] == _latE7[next] && SameLongitude(_lonE7[i], _lonE7[next]))
                {
                    return GeoFenceProblem.DuplicateVertex;
                }

                if (GeoMath.DistanceMetres(ToDegrees(_latE7[0]), ToDegrees(_lonE7[0]), ToDegrees(_latE7[i]), ToDegrees(_lonE7[i])) > MaxExtentMetres)
                {
                    return GeoFenceProblem.TooLarge;
                }
            }

            double originLat = ToDegrees(_latE7[0]);
            double originLon = ToDegrees(_lonE7[0]);
            for (int i = 0; i < n; i++)
            {
                int i2 = (i + 1) % n;
                for (int j = i + 1; j < n; j++)
                {
                    int j2 = (j + 1) % n;
                    if (j == i2 || j2 == i)
                    {
                        continue; // adjacent edges share a vertex by construction
                    }

                    if (SegmentsIntersect(
                        X(originLat, originLon, i), Y(originLat, i), X(originLat, originLon, i2), Y(originLat, i2),
                        X(originLat, originLon, j), Y(originLat, j), X(originLat, originLon, j2), Y(originLat, j2)))
                    {
                        return GeoFenceProblem.SelfIntersecting;
                    }
                }
            }

            double doubleArea = 0;
            for (int i = 0; i < n; i++)
            {
                int j = (i + 1) % n;
                doubleArea += (X(originLat, originLon, i) * Y(originLat, j)) - (X(originLat, originLon, j) * Y(originLat, i));
            }

            if (Math.Abs(doubleArea) < 2.0)
            {
                return GeoFenceProblem.ZeroArea;
            }

            return GeoFenceProblem.None;
        }

        public override double SignedDistanceMetres(double lat, double lon)
        {
            // Every vertex lies within MaxExtentMetres of vertex 0, so a fix further away is outside,
            // by at least the difference; the local projection is not used that far out.
            double fromFirst = GeoMath.DistanceMetres(ToDegrees(_latE7[0]), ToDegrees(_lonE7[0]), lat, lon);
            if (fromFirst > MaxExtentMetres)
            {
                return -(fromFirst - MaxExtentMetres);
            }

            int n = _latE7.Length;
            bool inside = false;
            double best = double.MaxValue;
            for (int i = 0, j = n - 1; i < n; j = i++)
            {
                // Vertices relative to the fix, which sits at the origin.
                double xi = X(lat, lon, i);
                double yi = Y(lat, i);
                double xj = X(lat, lon, j);
                double yj = Y(lat, j);

                if ((yi > 0) != (yj > 0))
                {
                    double crossingX = xi + ((0 - yi) * (xj - xi) / (yj - yi));
                    if (crossingX > 0)
                    {
                        inside = !inside;
                    }
                }

                double d = DistanceFromOriginToSegment(xi, yi, xj, yj);
                if (d < best)
                {
                    best = d;
                }
            }

            return inside ? best : -best;
        }

        private double X(double originLat, double originLon, int index)
        {
            return GeoMath.EastMetres(originLat, originLon, ToDegrees(_latE7[index]), ToDegrees(_lonE7[index]));
        }

        private double Y(double originLat, int index)
        {
            return GeoMath.NorthMetres(originLat, ToDegrees(_latE7[index]));
        }

        private static bool SameLongitude(int a, int b)
        {
            return a == b || (a == 1800000000 && b == -1800000000) || (a == -1800000000 && b == 1800000000);
        }

        private static double DistanceFromOriginToSegment(double ax, double ay, double bx, double by)
        {
            double dx = bx - ax;
            double dy = by - ay;
            double lengthSquared = (dx * dx) + (dy * dy);
            double t = lengthSquared == 0 ? 0 : -((ax * dx) + (ay * dy)) / lengthSquared;
            if (t < 0)
            {
                t = 0;
            }
            else if (t > 1)
            {
                t = 1;
            }

            double px = ax + (t * dx);
            double py = ay + (t * dy);
            return Math.Sqrt((px * px) + (py * py));
        }

        private static bool SegmentsIntersect(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy)
        {
            double d1 = Cross(cx, cy, dx, dy, ax, ay);
            double d2 = Cross(cx, cy, dx, dy, bx, by);
            double d3 = Cross(ax, ay, bx, by, cx, cy);
            double d4 = Cross(ax, ay, bx, by, dx, dy);
            if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
            {
                return true;
            }

            return (d1 == 0 && OnSegment(cx, cy, dx, dy, ax, ay)) || (d2 == 0 && OnSegment(cx, cy, dx, dy, bx, by))
                || (d3 == 0 && OnSegment(ax, ay, bx, by, cx, cy)) || (d4 == 0 && OnSegment(ax, ay, bx, by, dx, dy));
        }

        private static double Cross(double ax, double ay, double bx, double by, double px, double py)
        {
            return ((bx - ax) * (py - ay)) - ((by - ay) * (px - ax));
        }

        private static bool OnSegment(double ax, double ay, double bx, double by, double px, double py)
        {
            return px >= Math.Min(ax, bx) && px <= Math.Max(ax, bx) && py >= Math.Min(ay, by) && py <= Math.Max(ay, by);
        }
    }
}
