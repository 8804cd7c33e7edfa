//! Lists the entries of a zip archive from its central directory, for
//! `attachment/{id}/expand`. Nothing is decompressed. Every offset and length read from
//! the file is bounds-checked, so any input (truncated, hostile) yields a listing or
//! `None`, never a panic.

/// One file in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Uncompressed size, as the central directory records it.
    pub size: u64,
}

const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const EOCD_LEN: usize = 22;
const CDH_LEN: usize = 46;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

/// Whether the bytes start like a zip archive (a local header or an empty archive).
pub fn looks_like_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// The file entries (directories left out) in archive order, or `None` when `data` is
/// not a readable zip archive.
pub fn entries(data: &[u8]) -> Option<Vec<Entry>> {
    if data.len() < EOCD_LEN {
        return None;
    }
    // The end record sits in the last 22 bytes plus an up to 64 KiB comment.
    let earliest = data.len().saturating_sub(EOCD_LEN + 0xFFFF);
    let eocd = (earliest..=data.len() - EOCD_LEN)
        .rev()
        .find(|&i| u32_at(data, i) == Some(EOCD_SIG))?;
    let count = usize::from(u16_at(data, eocd + 10)?);
    let cd_size = u32_at(data, eocd + 12)? as usize;
    let cd_offset = u32_at(data, eocd + 16)? as usize;
    let cd = data.get(cd_offset..cd_offset.checked_add(cd_size)?)?;
    let mut out = Vec::new();
    let mut at = 0usize;
    for _ in 0..count {
        if u32_at(cd, at)? != CDH_SIG {
            return None;
        }
        let flags = u16_at(cd, at + 8)?;
        let mut size = u64::from(u32_at(cd, at + 24)?);
        let name_len = usize::from(u16_at(cd, at + 28)?);
        let extra_len = usize::from(u16_at(cd, at + 30)?);
        let comment_len = usize::from(u16_at(cd, at + 32)?);
        let name_start = at.checked_add(CDH_LEN)?;
        let raw_name = cd.get(name_start..name_start.checked_add(name_len)?)?;
        let extra_start = name_start + name_len;
        let extra = cd.get(extra_start..extra_start.checked_add(extra_len)?)?;
        if size == u64::from(u32::MAX) {
            size = zip64_size(extra).unwrap_or(size);
        }
        // Bit 11: UTF-8 names; otherwise CP437, shown lossily (ASCII is the same).
        let name = if flags & 0x0800 != 0 {
            String::from_utf8_lossy(raw_name).into_owned()
        } else {
            raw_name
                .iter()
                .map(|&b| if b.is_ascii() { b as char } else { '\u{FFFD}' })
                .collect()
        };
        if !name.ends_with('/') {
            out.push(Entry { name, size });
        }
        at = extra_start
            .checked_add(extra_len)?
            .checked_add(comment_len)?;
    }
    Some(out)
}

/// The uncompressed size from a zip64 extended information extra field.
fn zip64_size(extra: &[u8]) -> Option<u64> {
    let mut at = 0usize;
    while at + 4 <= extra.len() {
        let id = u16_at(extra, at)?;
        let len = usize::from(u16_at(extra, at + 2)?);
        if id == 0x0001 {
            return u64_at(extra, at + 4);
        }
        at = at.checked_add(4 + len)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored (uncompressed) archive, as `zip -0` writes it.
    pub(crate) fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in files {
            let offset = out.len() as u32;
            out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(&CDH_SIG.to_le_bytes());
            central.extend_from_slice(&[20, 0, 20, 0, 0, 8, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(&EOCD_SIG.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn lists_files_and_skips_directories() {
        let z = archive(&[("docs/", b""), ("docs/a.txt", b"hello"), ("b.png", b"xy")]);
        assert!(looks_like_zip(&z));
        let e = entries(&z).expect("a zip");
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
        assert_eq!(entries(&archive(&[])), Some(vec![]));
        assert_eq!(entries(b"not a zip at all, just some text here"), None);
        assert_eq!(entries(b""), None);
    }

    /// Every truncation and every single-byte corruption of a valid archive is answered
    /// without a panic (a cheap stand-in for a fuzz target).
    #[test]
    fn hostile_inputs_never_panic() {
        let z = archive(&[("a.txt", b"hello world"), ("dir/b.bin", &[0xFF; 40])]);
        for cut in 0..z.len() {
            let _ = entries(&z[..cut]);
            let _ = entries(&z[cut..]);
        }
        for i in 0..z.len() {
            for v in [0x00, 0xFF, 0x7F] {
                let mut bad = z.clone();
                bad[i] = v;
                let _ = entries(&bad);
            }
        }
    }
}
