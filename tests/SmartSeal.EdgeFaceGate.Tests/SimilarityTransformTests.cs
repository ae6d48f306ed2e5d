using OpenCvSharp;
using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

public class SimilarityTransformTests
{
    [Fact]
    public void Points_that_are_a_scaled_rotated_shifted_template_align_exactly_onto_the_template()
    {
        // Build five image points by a known similarity from the template; the fit must invert it.
        double angle = 17 * Math.PI / 180, scale = 2.3;
        Point2f[] image = FaceAligner.Template
            .Select(p => new Point2f(
                (float)(scale * (Math.Cos(angle) * p.X - Math.Sin(angle) * p.Y) + 140),
                (float)(scale * (Math.Sin(angle) * p.X + Math.Cos(angle) * p.Y) - 35)))
            .ToArray();

        SimilarityTransform t = FaceAligner.TransformFor(image);

        Assert.Equal(1 / scale, t.Scale, 4);
        Assert.Equal(-17, t.RotationDegrees, 3);
        for (int i = 0; i < image.Length; i++)
        {
            (double x, double y) = t.Apply(image[i].X, image[i].Y);
            Assert.Equal(FaceAligner.Template[i].X, x, 3);
            Assert.Equal(FaceAligner.Template[i].Y, y, 3);
        }
    }

    [Fact]
    public void Noisy_points_get_the_least_squares_fit_not_an_exact_fit_of_some_points()
    {
        // Moving one point pulls the fit a little (all five weigh); the others then miss slightly.
        (double X, double Y)[] source = FaceAligner.Template.ToArray();
        source[2] = (source[2].X + 4, source[2].Y);

        SimilarityTransform t = SimilarityTransform.Fit(source, FaceAligner.Template);
        (double noseX, _) = t.Apply(source[2].X, source[2].Y);

        Assert.InRange(noseX - FaceAligner.Template[2].X, 2.5, 3.9);
        Assert.Equal(1.0, t.Scale, 2);
    }

    [Fact]
    public void Coinciding_points_are_refused()
    {
        (double X, double Y)[] same = Enumerable.Repeat((10.0, 10.0), 5).ToArray();
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Fit(same, FaceAligner.Template));
    }
}
