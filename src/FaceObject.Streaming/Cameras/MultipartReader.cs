using System.Globalization;
using System.Text;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Reads the parts of a <c>multipart/x-mixed-replace</c> body (an MJPEG stream) one at a time. A part's length is its
/// <c>Content-Length</c> header when it has one (most cameras send it), else everything up to the next boundary.
/// Tolerates what cameras get wrong: a boundary parameter that already starts with <c>--</c>, missing CRs, blank
/// lines between parts. Not thread-safe; one per response.
/// </summary>
internal sealed class MultipartReader(Stream stream, string boundary, int maxPartBytes)
{
    private const int MaxLineLength = 8 * 1024;

    private readonly string _coreText = boundary.Trim('"').TrimStart('-');
    private readonly byte[] _core = Encoding.ASCII.GetBytes(boundary.Trim('"').TrimStart('-'));
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next part, or null when the stream ended (cleanly or mid-part).</summary>
    public async ValueTask<MultipartPart?> ReadPartAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (IsBoundary(line))
            {
                if (line.TrimEnd().EndsWith("--", StringComparison.Ordinal) && line.TrimStart('-').TrimEnd('-').Length == _core.Length)
                {
                    return null;
                }

                break;
            }
        }

        string? contentType = null;
        long? contentLength = null;
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } header)
        {
            if (header.Length == 0)
            {
                break;
            }

            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                contentLength = length;
            }
        }

        if (contentLength > maxPartBytes)
        {
            throw new CameraSourceException($"An MJPEG part is {contentLength} bytes; at most {maxPartBytes} are accepted.", permanent: true);
        }

        var body = contentLength is { } n
            ? await ReadExactAsync((int)n, cancellationToken).ConfigureAwait(false)
            : await ReadToBoundaryAsync(cancellationToken).ConfigureAwait(false);
        return body is null ? null : new MultipartPart(contentType, body);
    }

    private bool IsBoundary(string line) =>
        line.StartsWith("--", StringComparison.Ordinal)
        && line.AsSpan().TrimStart('-').StartsWith(_coreText, StringComparison.Ordinal);

    /// <summary>A line up to LF, without CR/LF; null at the end of the stream.</summary>
    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (_end - _start > MaxLineLength)
            {
                throw new CameraSourceException("The MJPEG stream has a header line over 8 KB: it is not multipart/x-mixed-replace.", permanent: true);
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private async ValueTask<byte[]?> ReadExactAsync(int length, CancellationToken cancellationToken)
    {
        while (_end - _start < length)
        {
            if (!await FillAsync(cancellationToken, length).ConfigureAwait(false))
            {
                return null;
            }
        }

        var body = _buffer.AsSpan(_start, length).ToArray();
        _start += length;
        return body;
    }

    /// <summary>
    /// The bytes up to the next boundary line, without the CR/LF and dashes before it; the boundary line stays in the
    /// buffer for the next part. JPEG data cannot contain the boundary in practice, and ends in FF D9, so trimming
    /// dashes and line ends off the end never cuts an image.
    /// </summary>
    private async ValueTask<byte[]?> ReadToBoundaryAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var found = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf(_core);
            if (found >= 0)
            {
                var stop = _start + searched + found;
                var lineStart = stop;
                while (lineStart > _start && _buffer[lineStart - 1] == (byte)'-')
                {
                    lineStart--;
                }

                var bodyEnd = lineStart;
                while (bodyEnd > _start && _buffer[bodyEnd - 1] is (byte)'\n' or (byte)'\r')
                {
                    bodyEnd--;
                }

                var body = _buffer.AsSpan(_start, bodyEnd - _start).ToArray();
                _start = lineStart;
                return body;
            }

            searched = Math.Max(0, _end - _start - _core.Length);
            if (_end - _start > maxPartBytes)
            {
                throw new CameraSourceException($"An MJPEG part has no boundary within {maxPartBytes} bytes.", permanent: true);
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    /// <summary>Reads more into the buffer (compacting or growing it to hold <paramref name="need"/> bytes); false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken, int need = 0)
    {
        if (_eof)
        {
            return false;
        }

        if (_start > 0 && (_end == _buffer.Length || _start > _buffer.Length / 2))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length || need > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, need));
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        return true;
    }
}

/// <summary>One part of a multipart body: its content type (null when it had none) and its bytes.</summary>
internal sealed record MultipartPart(string? ContentType, byte[] Body);
