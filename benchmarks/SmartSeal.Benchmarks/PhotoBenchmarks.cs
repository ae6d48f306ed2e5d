using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using SmartSeal.Cloud.Photos;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Benchmarks;

/// <summary>
/// The cloud's per-photo work once the chunks are in: HMAC check, SHA-256 name, JPEG frame check,
/// and the portal thumbnail (OpenCV) of a typical 1600x1200 camera photo.
/// </summary>
[MemoryDiagnoser]
public class PhotoBenchmarks
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private readonly PhotoThumbnailer _thumbnailer = new(Options.Create(new PhotoOptions()));
    private byte[] _jpeg = null!;
    private byte[] _mac = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var image = new Mat(1200, 1600, MatType.CV_8UC3);
        Cv2.SetTheRNG(1);
        Cv2.Randu(image, new OpenCvSharp.Scalar(0, 0, 0), new OpenCvSharp.Scalar(255, 255, 255));
        Cv2.GaussianBlur(image, image, new OpenCvSharp.Size(9, 9), 0);
        Cv2.ImEncode(".jpg", image, out _jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 85));
        _mac = Mac.Compute(Key, _jpeg);
    }

    [Benchmark(Description = "Photo check: HMAC + SHA-256 + JPEG frame (1600x1200 JPEG)")]
    public bool CheckAndName() =>
        CryptographicOperations.FixedTimeEquals(Mac.Compute(Key, _jpeg), _mac) && JpegFormat.HasJpegFrame(_jpeg) && PhotoHash.Of(_jpeg).Length == 64;

    [Benchmark(Description = "Thumbnail 320 px (OpenCV, reduced DCT decode) of a 1600x1200 JPEG")]
    public int Thumbnail() => _thumbnailer.Create(_jpeg)!.Length;
}
