//! What an imported file was, for its audit row: its size and SHA-256, taken as the reader reads
//! it (so a file is read once, and a stream that cannot be re-read is identified all the same).

use std::io::Read;

use sha2::{Digest, Sha256};

/// A reader that hashes and counts what passes through it.
pub struct Digesting<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

/// The size and SHA-256 (hexadecimal) of what was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub bytes: u64,
    pub sha256: String,
}

impl<R: Read> Digesting<R> {
    pub fn new(inner: R) -> Self {
        Self { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// Reads what the parser left unread (a file's tail after its last record), then the digest.
    pub fn finish(mut self) -> std::io::Result<FileDigest> {
        std::io::copy(&mut self.inner, &mut DigestSink(&mut self.hasher, &mut self.bytes))?;
        let sha256 = self.hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
        Ok(FileDigest { bytes: self.bytes, sha256 })
    }
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.hasher.update(&buffer[..read]);
        self.bytes += read as u64;
        Ok(read)
    }
}

/// Where the unread tail goes: into the hash and the count only.
struct DigestSink<'a>(&'a mut Sha256, &'a mut u64);

impl std::io::Write for DigestSink<'_> {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.0.update(buffer);
        *self.1 += buffer.len() as u64;
        Ok(buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_the_whole_input_s_read_or_not() {
        let mut reader = Digesting::new(&b"abc and a tail"[..]);
        let mut head = [0_u8; 3];
        reader.read_exact(&mut head).expect("read");
        let digest = reader.finish().expect("finish");
        assert_eq!(digest.bytes, 14);
        // `printf 'abc and a tail' | sha256sum`
        assert_eq!(digest.sha256, "441aca6389bfadc12279831d139a3f06cc6d74a27b47716ea9d47c27e403f356");
        assert_eq!(Digesting::new(&b"abc"[..]).finish().expect("finish").bytes, 3);
    }
}
