//! Lists the entries of a zip archive from its central directory, for
//! `attachment/{id}/expand`, with the `zip` crate (zip64, CP437 and UTF-8 names).
//! Nothing is decompressed, so the crate is built without any decompressor; any input
//! (truncated, hostile) yields a listing or `None`, never a panic.

use std::io::{Read, Seek};

/// One file in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Uncompressed size, as the central directory records it.
    pub size: u64,
}

/// Whether the bytes start like a zip archive (a local header or an empty archive).
pub fn looks_like_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// The file entries (directories left out) in archive order, or `None` when `reader`
/// is not a readable zip archive. Only the end record and the central directory are
/// read, not the whole file.
pub fn entries(reader: impl Read + Seek) -> Option<Vec<Entry>> {
    let mut archive = zip::ZipArchive::new(reader).ok()?;
    let mut out = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).ok()?;
        if !file.is_dir() {
            // A name that is not valid in its declared encoding is shown lossily.
            let name = match file.name() {
                Ok(name) => name.into_owned(),
                Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
            };
            out.push(Entry {
                name,
                size: file.size(),
            });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    /// A stored (uncompressed) archive, as `zip -0` writes it.
    fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in files {
            if name.ends_with('/') {
                w.add_directory(*name, stored).expect("directory");
            } else {
                w.start_file(*name, stored).expect("file");
                w.write_all(data).expect("data");
            }
        }
        w.finish().expect("finish").into_inner()
    }

    fn list(bytes: &[u8]) -> Option<Vec<Entry>> {
        entries(Cursor::new(bytes))
    }

    #[test]
    fn lists_files_not_directories() {
        let z = archive(&[("docs/", b""), ("docs/a.txt", b"hello"), ("b.png", b"xy")]);
        assert!(looks_like_zip(&z));
        let e = list(&z).expect("a zip");
        assert_eq!(
            e,
            vec![
                Entry {
                    name: "docs/a.txt".into(),
                    size: 5
                },
                Entry {
                    name: "b.png".into(),
                    size: 2
                }
            ]
        );
    }

    #[test]
    fn empty_archive_and_garbage() {
        assert_eq!(list(&archive(&[])), Some(vec![]));
        assert_eq!(list(b"not a zip at all, just some text here"), None);
        assert_eq!(list(b""), None);
    }

    /// Every truncation and every single-byte corruption of a valid archive is answered
    /// without a panic.
    #[test]
    fn hostile_inputs_never_panic() {
        let z = archive(&[("a.txt", b"hello world"), ("dir/b.bin", &[0xFF; 40])]);
        for cut in 0..z.len() {
            let _ = list(&z[..cut]);
            let _ = list(&z[cut..]);
        }
        for i in 0..z.len() {
            for v in [0x00, 0xFF, 0x7F] {
                let mut bad = z.clone();
                bad[i] = v;
                let _ = list(&bad);
            }
        }
    }
}
