using System;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// Rebuilds a photo from its manifest and chunks, in any order, with memory bounded by the
    /// manifest's size (≤ 2 MiB). Refuses out-of-range, wrongly sized and conflicting chunks, and a
    /// completed photo whose MAC does not verify with the sender's key.
    /// </summary>
    public class PhotoAssembler
    {
        private readonly PhotoManifestBody _manifest;
        private readonly byte[] _deviceKey;
        private readonly byte[] _photo;
        private readonly bool[] _received;
        private int _receivedCount;

        public PhotoAssembler(PhotoManifestBody manifest, byte[] deviceKey)
        {
            int expectedChunks = (manifest.Size + manifest.ChunkSize - 1) / manifest.ChunkSize;
            if (manifest.Size <= 0 || manifest.Size > PhotoChunker.MaxPhotoBytes || manifest.ChunkCount != expectedChunks || manifest.Mac == null || manifest.Mac.Length != Mac.Length)
            {
                throw new ProtocolException(ProtocolError.MessageBadField, "manifest size, chunking or mac inconsistent");
            }

            _manifest = manifest;
            _deviceKey = deviceKey;
            _photo = new byte[manifest.Size];
            _received = new bool[manifest.ChunkCount];
        }

        public bool IsComplete
        {
            get { return _receivedCount == _received.Length; }
        }

        /// <summary>The photo; only valid after <see cref="Add"/> returned <see cref="PhotoAssemblyState.Complete"/>.</summary>
        public byte[] Photo
        {
            get { return _photo; }
        }

        public int MissingChunks
        {
            get { return _received.Length - _receivedCount; }
        }

        public PhotoAssemblyState Add(PhotoChunkBody chunk)
        {
            if (chunk.PhotoId != _manifest.PhotoId || chunk.Index < 0 || chunk.Index >= _received.Length)
            {
                return PhotoAssemblyState.BadChunk;
            }

            int offset = chunk.Index * _manifest.ChunkSize;
            int expectedLength = Math.Min(_manifest.ChunkSize, _manifest.Size - offset);
            if (chunk.Data == null || chunk.Data.Length != expectedLength)
            {
                return PhotoAssemblyState.BadChunk;
            }

            if (_received[chunk.Index])
            {
                for (int i = 0; i < expectedLength; i++)
                {
                    if (_photo[offset + i] != chunk.Data[i])
                    {
                        return PhotoAssemblyState.ConflictingChunk;
                    }
                }

                return PhotoAssemblyState.Duplicate;
            }

            Array.Copy(chunk.Data, 0, _photo, offset, expectedLength);
            _received[chunk.Index] = true;
            _receivedCount++;
            if (!IsComplete)
            {
                return PhotoAssemblyState.Incomplete;
            }

            return Mac.FixedTimeEquals(Mac.Compute(_deviceKey, _photo), _manifest.Mac) ? PhotoAssemblyState.Complete : PhotoAssemblyState.MacMismatch;
        }
    }
}
