using SmartSeal.Protocol.Geo;

namespace SmartSeal.Protocol.Tests.Geo;

public class GeoFenceTests
{
    private static int E7(double degrees) => GeoFence.ToE7(degrees);

    private static GeoPolygon Polygon(params (double Lat, double Lon)[] vertices) =>
        new(vertices.Select(v => E7(v.Lat)).ToArray(), vertices.Select(v => E7(v.Lon)).ToArray());

    private static GeoFenceCheck Check(GeoFence fence, double lat, double lon, double accuracy) => fence.Check(lat, lon, accuracy, out _);

    [Fact]
    public void Haversine_matches_known_city_distances()
    {
        // Beijing to Shanghai city centres: about 1,067 km.
        double d = GeoMath.DistanceMetres(39.9042, 116.4074, 31.2304, 121.4737);
        Assert.InRange(d, 1_067_000 * 0.995, 1_067_000 * 1.005);
        // One degree of latitude: 111.2 km on the mean sphere.
        Assert.InRange(GeoMath.DistanceMetres(30, 120, 31, 120), 111_190, 111_200);
    }

    [Fact]
    public void Circle_is_accuracy_aware()
    {
        // 500 m around Tiananmen; a fix 300 m north.
        var fence = new GeoCircle(E7(39.9087), E7(116.3975), 500);
        Assert.Equal(GeoFenceProblem.None, fence.Validate());
        double north300 = 39.9087 + (300 / 111_195.0);
        Assert.Equal(GeoFenceCheck.Inside, fence.Check(north300, 116.3975, 5, out double inside));
        Assert.InRange(inside, 199, 201);
        Assert.Equal(GeoFenceCheck.Inside, Check(fence, north300, 116.3975, 199));
        Assert.Equal(GeoFenceCheck.Uncertain, Check(fence, north300, 116.3975, 250));
        double north620 = 39.9087 + (620 / 111_195.0);
        Assert.Equal(GeoFenceCheck.Outside, fence.Check(north620, 116.3975, 100, out double outside));
        Assert.InRange(outside, -121, -119);
        Assert.Equal(GeoFenceCheck.Uncertain, Check(fence, north620, 116.3975, 130));
    }

    [Theory]
    [InlineData(double.NaN, 116, 5)]
    [InlineData(39, double.NaN, 5)]
    [InlineData(91, 116, 5)]
    [InlineData(39, 181, 5)]
    [InlineData(39, 116, -1)]
    [InlineData(39, 116, double.NaN)]
    [InlineData(39, 116, double.PositiveInfinity)]
    public void Unusable_fixes_are_reported_not_guessed(double lat, double lon, double accuracy)
    {
        var fence = new GeoCircle(E7(39), E7(116), 50_000);
        Assert.Equal(GeoFenceCheck.InvalidFix, Check(fence, lat, lon, accuracy));
    }

    [Fact]
    public void Circle_across_the_antimeridian_and_near_the_pole()
    {
        var fiji = new GeoCircle(E7(-17.0), E7(179.99), 5_000);
        Assert.Equal(GeoFenceCheck.Inside, Check(fiji, -17.0, -179.99, 10)); // ~2.1 km east, across 180°
        Assert.Equal(GeoFenceCheck.Outside, Check(fiji, -17.0, -179.9, 10)); // ~11.7 km

        var pole = new GeoCircle(E7(89.99), E7(0), 3_000);
        Assert.Equal(GeoFenceCheck.Inside, Check(pole, 89.99, 180, 10)); // 2.2 km over the pole
    }

    [Theory]
    [InlineData(910_000_000, 0, 100, GeoFenceProblem.LatitudeOutOfRange)]
    [InlineData(0, 1_810_000_000, 100, GeoFenceProblem.LongitudeOutOfRange)]
    [InlineData(0, 0, 0, GeoFenceProblem.RadiusNotPositive)]
    [InlineData(0, 0, -5, GeoFenceProblem.RadiusNotPositive)]
    [InlineData(0, 0, 1_000_001, GeoFenceProblem.RadiusTooLarge)]
    public void Bad_circles_are_refused(int lat, int lon, int radius, GeoFenceProblem expected)
    {
        Assert.Equal(expected, new GeoCircle(lat, lon, radius).Validate());
    }

    [Fact]
    public void Polygon_city_block_distances_are_right()
    {
        // A 1 km x 1 km block in Shanghai; a fix 100 m inside from the west edge.
        double lat0 = 31.2300, lon0 = 121.4700;
        double dLat = 1000 / 111_195.0, dLon = 1000 / (111_195.0 * Math.Cos(lat0 * Math.PI / 180));
        GeoPolygon block = Polygon((lat0, lon0), (lat0, lon0 + dLon), (lat0 + dLat, lon0 + dLon), (lat0 + dLat, lon0));
        Assert.Equal(GeoFenceProblem.None, block.Validate());

        double midLat = lat0 + (dLat / 2);
        Assert.Equal(GeoFenceCheck.Inside, block.Check(midLat, lon0 + (dLon / 10), 20, out double inside));
        Assert.InRange(inside, 99.5, 100.5);
        Assert.Equal(GeoFenceCheck.Uncertain, Check(block, midLat, lon0 + (dLon / 10), 150));
        Assert.Equal(GeoFenceCheck.Outside, block.Check(midLat, lon0 - (dLon / 5), 20, out double outside));
        Assert.InRange(outside, -200.5, -199.5);
    }

    [Fact]
    public void Concave_polygon_excludes_its_notch_for_either_winding()
    {
        // U shape opening north: the notch is 0.002°..0.004° east, north of 0.002°.
        var u = new[] { (0.0, 0.0), (0.0, 0.006), (0.006, 0.006), (0.006, 0.004), (0.002, 0.004), (0.002, 0.002), (0.006, 0.002), (0.006, 0.0) };
        foreach (GeoPolygon fence in new[] { Polygon(u), Polygon(u.Reverse().ToArray()) })
        {
            Assert.Equal(GeoFenceProblem.None, fence.Validate());
            Assert.Equal(GeoFenceCheck.Outside, Check(fence, 0.005, 0.003, 5)); // in the notch
            Assert.Equal(GeoFenceCheck.Inside, Check(fence, 0.005, 0.001, 5)); // in the left arm
            Assert.Equal(GeoFenceCheck.Inside, Check(fence, 0.001, 0.003, 5)); // in the base
        }
    }

    [Fact]
    public void Polygon_across_the_antimeridian_works()
    {
        GeoPolygon fence = Polygon((-17.1, 179.9), (-17.1, -179.9), (-16.9, -179.9), (-16.9, 179.9));
        Assert.Equal(GeoFenceProblem.None, fence.Validate());
        Assert.Equal(GeoFenceCheck.Inside, Check(fence, -17.0, 180.0, 10));
        Assert.Equal(GeoFenceCheck.Inside, Check(fence, -17.0, -179.95, 10));
        Assert.Equal(GeoFenceCheck.Outside, Check(fence, -17.0, -179.8, 10));
        Assert.Equal(GeoFenceCheck.Outside, Check(fence, -17.0, 0, 10));
    }

    [Fact]
    public void Bad_polygons_are_refused_with_a_reason()
    {
        Assert.Equal(GeoFenceProblem.TooFewVertices, Polygon((0, 0), (0, 0.01)).Validate());
        Assert.Equal(GeoFenceProblem.TooFewVertices, Polygon().Validate());
        Assert.Equal(GeoFenceProblem.SelfIntersecting, Polygon((0, 0), (0.01, 0.01), (0, 0.01), (0.01, 0)).Validate()); // bow tie
        Assert.Equal(GeoFenceProblem.DuplicateVertex, Polygon((0, 0), (0, 0), (0.01, 0.01), (0, 0.01)).Validate());
        Assert.Equal(GeoFenceProblem.ZeroArea, Polygon((0, 0), (0, 0.01), (0, 0.02)).Validate());
        Assert.Equal(GeoFenceProblem.TooCloseToPole, Polygon((86, 0), (86, 1), (87, 1)).Validate());
        Assert.Equal(GeoFenceProblem.TooLarge, Polygon((30, 120), (30, 123), (33, 123)).Validate());
        Assert.Equal(GeoFenceProblem.LatitudeOutOfRange, new GeoPolygon(new[] { 0, 0, 950_000_000 }, new[] { 0, 1, 1 }).Validate());
        Assert.Equal(GeoFenceProblem.LongitudeOutOfRange, new GeoPolygon(new[] { 0, 0, 1 }, new[] { 0, 1, 1_900_000_000 }).Validate());
        int[] many = Enumerable.Range(0, 65).Select(i => E7(Math.Sin(i * 2 * Math.PI / 65) * 0.01)).ToArray();
        int[] manyLon = Enumerable.Range(0, 65).Select(i => E7(Math.Cos(i * 2 * Math.PI / 65) * 0.01)).ToArray();
        Assert.Equal(GeoFenceProblem.TooManyVertices, new GeoPolygon(many, manyLon).Validate());
    }

    [Fact]
    public void Polygon_and_circle_agree_on_random_points_far_from_the_boundary()
    {
        // A 64-gon inscribed in a 2 km circle differs from it by < 2.5 m; away from the ring, both must agree.
        double lat0 = 22.5431, lon0 = 114.0579; // Shenzhen
        var circle = new GeoCircle(E7(lat0), E7(lon0), 2_000);
        int[] lats = new int[64], lons = new int[64];
        for (int i = 0; i < 64; i++)
        {
            double a = i * 2 * Math.PI / 64;
            lats[i] = E7(lat0 + (2_000 * Math.Sin(a) / 111_195.0));
            lons[i] = E7(lon0 + (2_000 * Math.Cos(a) / (111_195.0 * Math.Cos(lat0 * Math.PI / 180))));
        }

        var polygon = new GeoPolygon(lats, lons);
        Assert.Equal(GeoFenceProblem.None, polygon.Validate());
        var random = new Random(42);
        int compared = 0;
        for (int k = 0; k < 2000; k++)
        {
            double lat = lat0 + ((random.NextDouble() - 0.5) * 0.06);
            double lon = lon0 + ((random.NextDouble() - 0.5) * 0.06);
            double d = GeoMath.DistanceMetres(lat0, lon0, lat, lon);
            if (Math.Abs(d - 2_000) < 30)
            {
                continue;
            }

            compared++;
            Assert.Equal(Check(circle, lat, lon, 1), Check(polygon, lat, lon, 1));
            Assert.InRange(polygon.SignedDistanceMetres(lat, lon) - circle.SignedDistanceMetres(lat, lon), -25, 25);
        }

        Assert.True(compared > 1500);
    }
}
