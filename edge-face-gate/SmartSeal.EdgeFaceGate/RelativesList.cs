using System.Numerics.Tensors;

namespace SmartSeal.EdgeFaceGate;

/// <summary>Two evaluation identities who are related (or labelled so by their source), e.g. parent and child.</summary>
public sealed record RelativePair(string A, string B, string Relation);

/// <summary>Impostor scores between the photos of two relatives: the pairs the recogniser finds hardest after look-alikes.</summary>
public sealed record RelativeScores(RelativePair Pair, int Count, float Mean, float Max, int AtOrAboveThreshold);

/// <summary>
/// <c>relatives.txt</c> of a faces folder: one pair a line, <c>identityA identityB relation</c>
/// (folder names under people/), <c>#</c> starts a comment. Kin pairs are impostor pairs like any
/// other; the list only lets <c>evaluate</c> report them apart, because a relative is the likeliest
/// stranger to be mistaken for an enrolled person.
/// </summary>
public static class RelativesList
{
    public static List<RelativePair> Parse(IEnumerable<string> lines, string source)
    {
        List<RelativePair> pairs = [];
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[0] == parts[1])
            {
                throw new InvalidDataException($"{source} line {number}: expected 'identityA identityB relation' with two different identities, got '{raw}'");
            }

            pairs.Add(new RelativePair(parts[0], parts[1], parts[2]));
        }

        return pairs;
    }

    /// <summary>Scores of every photo of A against every photo of B; an identity with no usable photo is an error, not a silent zero.</summary>
    public static RelativeScores Score(RelativePair pair, IReadOnlyList<EvaluationSample> samples, float threshold)
    {
        List<EvaluationSample> a = samples.Where(s => s.Identity == pair.A).ToList();
        List<EvaluationSample> b = samples.Where(s => s.Identity == pair.B).ToList();
        if (a.Count == 0 || b.Count == 0)
        {
            throw new InvalidDataException($"relatives {pair.A} ~ {pair.B}: no usable photo of {(a.Count == 0 ? pair.A : pair.B)} among the evaluation photos");
        }

        List<float> scores = [.. a.SelectMany(x => b.Select(y => TensorPrimitives.Dot(x.Embedding, y.Embedding)))];
        return new RelativeScores(pair, scores.Count, scores.Average(), scores.Max(), scores.Count(s => s >= threshold));
    }
}
