using System;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// Splits a JPEG into a manifest (size, chunking, HMAC(K_dev, jpeg)) and chunks small enough for
    /// one envelope each. Chunks are made one at a time, so the device holds one extra chunk at most.
    /// </summary>
    public class PhotoChunker
    {
        public const int MaxPhotoBytes = 2 * 1024 * 1024;
        public const int MaxChunkBytes = 8192;

        private readonly byte[] _jpeg;
        private readonly int _chunkSize;
        private readonly string _photoId;

        public PhotoChunker(byte[] jpeg, int chunkSize, string photoId)
        {
            if (jpeg == null || jpeg.Length == 0 || jpeg.Length > MaxPhotoBytes)
            {
                throw new ProtocolException(ProtocolError.MessageBadField, "photo must be 1.." + MaxPhotoBytes.ToString() + " bytes");
            }

            if (chunkSize < 256 || chunkSize > MaxChunkBytes)
            {
                throw new ArgumentOutOfRangeException("chunkSize");
            }

            _jpeg = jpeg;
            _chunkSize = chunkSize;
            _photoId = photoId;
        }

        public int ChunkCount
        {
            get { return (_jpeg.Length + _chunkSize - 1) / _chunkSize; }
        }

        public PhotoManifestBody Manifest(PhotoPurpose purpose, string attemptId, byte[] deviceKey)
        {
            return Manifest(purpose, attemptId, deviceKey, MediaKind.Jpeg);
        }

        /// <summary>The manifest of a JPEG still or, with <see cref="MediaKind.Mp4"/>, of a video clip.</summary>
        public PhotoManifestBody Manifest(PhotoPurpose purpose, string attemptId, byte[] deviceKey, MediaKind media)
        {
            PhotoManifestBody manifest = new PhotoManifestBody();
            manifest.PhotoId = _photoId;
            manifest.Purpose = purpose;
            manifest.AttemptId = attemptId;
            manifest.Size = _jpeg.Length;
            manifest.ChunkSize = _chunkSize;
            manifest.ChunkCount = ChunkCount;
            manifest.Mac = Mac.Compute(deviceKey, _jpeg);
            manifest.Media = media;
            return manifest;
        }

        public PhotoChunkBody Chunk(int index)
        {
            int offset = index * _chunkSize;
            int length = Math.Min(_chunkSize, _jpeg.Length - offset);
            PhotoChunkBody chunk = new PhotoChunkBody();
            chunk.PhotoId = _photoId;
            chunk.Index = index;
            chunk.Data = new byte[length];
            Array.Copy(_jpeg, offset, chunk.Data, 0, length);
            return chunk;
        }
    }
}
