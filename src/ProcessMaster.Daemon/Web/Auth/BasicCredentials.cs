using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ProcessMaster.Daemon.Web.Auth;

/// <summary>
/// The decoded <c>Authorization: Basic</c> payload (RFC 7617): the user name as text and the password as bytes in a
/// rented buffer that <see cref="Dispose"/> zeroes, so the password is never kept in a string by this code.
/// </summary>
internal sealed class BasicCredentials : IDisposable
{
    public const string Missing = "missing Authorization header";
    public const string NotAscii = "invalid Authorization header";
    public const string NotBasic = "expected Basic authorization";
    public const string BadBase64 = "invalid base64 in Authorization";
    public const string BadUtf8 = "invalid utf8 in Authorization";
    public const string NoColon = "invalid basic auth payload";
    public const string Invalid = "invalid credentials";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private byte[]? _buffer;
    private readonly int _passwordStart;
    private readonly int _length;

    private BasicCredentials(string user, byte[] buffer, int passwordStart, int length)
    {
        User = user;
        _buffer = buffer;
        _passwordStart = passwordStart;
        _length = length;
    }

    /// <summary>The user name (left of the first colon).</summary>
    public string User { get; }

    /// <summary>The password bytes (right of the first colon; may contain colons).</summary>
    public ReadOnlySpan<byte> Password => _buffer.AsSpan(_passwordStart, _length - _passwordStart);

    /// <summary>Decodes <paramref name="header"/>; on failure returns null and the 401 text in <paramref name="failure"/>.</summary>
    public static BasicCredentials? TryParse(string? header, out string? failure)
    {
        failure = null;
        if (string.IsNullOrEmpty(header))
        {
            failure = Missing;
            return null;
        }
        foreach (char c in header)
        {
            if (c is < ' ' or > '~')
            {
                failure = NotAscii;
                return null;
            }
        }
        if (header.Length < 6 || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            failure = NotBasic;
            return null;
        }
        ReadOnlySpan<char> encoded = header.AsSpan(6).Trim();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, encoded.Length));
        bool keep = false;
        try
        {
            Span<byte> ascii = buffer.AsSpan(0, encoded.Length);
            for (int i = 0; i < encoded.Length; i++) ascii[i] = (byte)encoded[i];
            if (Base64.DecodeFromUtf8InPlace(ascii, out int length) != OperationStatus.Done)
            {
                failure = BadBase64;
                return null;
            }
            Span<byte> decoded = buffer.AsSpan(0, length);
            int colon = decoded.IndexOf((byte)':');
            string user;
            try
            {
                user = StrictUtf8.GetString(decoded[..Math.Max(colon, 0)]);
                StrictUtf8.GetCharCount(decoded);
            }
            catch (DecoderFallbackException)
            {
                failure = BadUtf8;
                return null;
            }
            if (colon < 0)
            {
                failure = NoColon;
                return null;
            }
            keep = true;
            return new BasicCredentials(user, buffer, colon + 1, length);
        }
        finally
        {
            if (!keep)
            {
                buffer.AsSpan().Clear();
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Zeroes and returns the buffer.</summary>
    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is null) return;
        buffer.AsSpan().Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
