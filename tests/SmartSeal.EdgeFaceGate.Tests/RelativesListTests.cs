using SmartSeal.EdgeFaceGate;
using SmartSeal.FaceRecognition;

namespace SmartSeal.EdgeFaceGate.Tests;

public class RelativesListTests
{
    private static float[] Axis(params (int Index, float Value)[] parts)
    {
        float[] v = new float[FaceEmbedder.Dimensions];
        foreach ((int index, float value) in parts)
        {
            v[index] = value;
        }

        return v;
    }

    [Fact]
    public void Parses_pairs_and_skips_comments_and_blank_lines()
    {
        List<RelativePair> pairs = RelativesList.Parse(["# family", "", "dad son parent-child  # labelled", "  son   daughter siblings"], "test");

        Assert.Equal([new RelativePair("dad", "son", "parent-child"), new RelativePair("son", "daughter", "siblings")], pairs);
    }

    [Theory]
    [InlineData("dad son")]
    [InlineData("dad son parent child")]
    [InlineData("dad dad twin")]
    public void A_malformed_line_is_an_error_naming_the_line(string line)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => RelativesList.Parse(["# ok", line], "relatives.txt"));

        Assert.Contains("relatives.txt line 2", e.Message);
    }

    [Fact]
    public void Scores_every_photo_of_one_relative_against_every_photo_of_the_other()
    {
        EvaluationSample[] samples =
        [
            new("dad", "dad/1.jpg", Axis((0, 1f)), 1f),
            new("son", "son/1.jpg", Axis((0, 0.6f), (1, 0.8f)), 1f),
            new("son", "son/2.jpg", Axis((1, 1f)), 1f),
            new("other", "other/1.jpg", Axis((0, 1f)), 1f),
        ];

        RelativeScores r = RelativesList.Score(new RelativePair("dad", "son", "parent-child"), samples, 0.55f);

        Assert.Equal(2, r.Count);
        Assert.Equal(0.6f, r.Max, 5);
        Assert.Equal(0.3f, r.Mean, 5);
        Assert.Equal(1, r.AtOrAboveThreshold);
    }

    [Fact]
    public void A_relative_without_a_usable_photo_is_an_error_not_a_silent_zero()
    {
        EvaluationSample[] samples = [new("dad", "dad/1.jpg", Axis((0, 1f)), 1f)];

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => RelativesList.Score(new RelativePair("dad", "son", "parent-child"), samples, 0.55f));

        Assert.Contains("son", e.Message);
    }

    [Fact]
    public void The_shipped_relatives_list_names_existing_evaluation_folders()
    {
        string evalFaces = Path.Combine(FaceModels.RepositoryRoot(), "edge-face-gate", "eval-faces");
        List<RelativePair> pairs = RelativesList.Parse(File.ReadLines(Path.Combine(evalFaces, "relatives.txt")), "relatives.txt");

        Assert.All(pairs.SelectMany(p => new[] { p.A, p.B }), identity =>
            Assert.True(Directory.Exists(Path.Combine(evalFaces, "people", identity)), $"relatives.txt names {identity}, which has no folder under eval-faces/people"));
    }
}
