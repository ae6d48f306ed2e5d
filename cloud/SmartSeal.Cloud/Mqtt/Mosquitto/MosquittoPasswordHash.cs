using System.Security.Cryptography;
using System.Text;

namespace SmartSeal.Cloud.Mqtt.Mosquitto;

/// <summary>
/// The password hash Mosquitto 2 keeps in its <c>password_file</c>, as <c>mosquitto_passwd</c>
/// writes it: <c>$7${iterations}${base64 salt}${base64 PBKDF2-HMAC-SHA512}</c> with a 12-byte salt
/// and a 64-byte hash. Written here so the CLI can hash thousands of devices without one process
/// per device; a test checks it against <c>mosquitto_passwd</c>.
/// </summary>
public static class MosquittoPasswordHash
{
    /// <summary>What <c>mosquitto_passwd</c> uses; device passwords are 256-bit MACs, so more buys nothing.</summary>
    public const int DefaultIterations = 101;

    private const int SaltLength = 12;
    private const int HashLength = 64;

    public static string Hash(string password, int iterations = DefaultIterations) =>
        Hash(password, RandomNumberGenerator.GetBytes(SaltLength), iterations);

    public static string Hash(string password, byte[] salt, int iterations)
    {
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashLength);
        return $"$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="encoded"/> (a <c>$7$</c> entry) is the hash of <paramref name="password"/>.</summary>
    public static bool Verify(string password, string encoded)
    {
        string[] parts = encoded.Split('$');
        if (parts is not ["", "7", var iterationsText, var saltText, var hashText] || !int.TryParse(iterationsText, out int iterations) || iterations < 1)
        {
            return false;
        }

        byte[] expected = Convert.FromBase64String(hashText);
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(saltText), iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
