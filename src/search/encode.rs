//! Small byte-level helpers of the index writer: LEB128 varints, gzip with a
//! fixed header (reproducible output) and base64.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor, crc32};

/// Appends `v` as an unsigned LEB128 varint (7 bits a byte, low bits first).
#[inline]
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7F) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Gzip-compresses `data` with libdeflate at `level` (0–12; 0: stored, no
/// compression). The header carries no name and mtime 0, so the same input
/// always gives the same bytes. Each thread keeps its compressor between calls:
/// the index writes thousands of small files, and setting up a fresh one costs
/// more than compressing one.
pub(crate) fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let level = level.min(12);
    let mut out = Vec::with_capacity(if level == 0 {
        data.len() + data.len() / 65535 * 5 + 32
    } else {
        data.len() / 2 + 64
    });
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    if level == 0 || !deflate_into(data, level, &mut out) {
        out.truncate(10);
        stored_into(data, &mut out);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// Raw deflate of `data` appended to `out` with this thread's compressor;
/// false when libdeflate refuses the level or the data.
fn deflate_into(data: &[u8], level: u32, out: &mut Vec<u8>) -> bool {
    thread_local! {
        static COMPRESSORS: RefCell<Vec<Option<Compressor>>> = const { RefCell::new(Vec::new()) };
    }
    let Ok(lvl) = CompressionLvl::new(level as i32) else {
        return false;
    };
    COMPRESSORS.with(|cell| {
        let mut all = cell.borrow_mut();
        if all.len() <= level as usize {
            all.resize_with(level as usize + 1, || None);
        }
        let c = all[level as usize].get_or_insert_with(|| Compressor::new(lvl));
        let start = out.len();
        out.resize(start + c.deflate_compress_bound(data.len()), 0);
        match c.deflate_compress(data, &mut out[start..]) {
            Ok(n) => {
                out.truncate(start + n);
                true
            }
            Err(_) => {
                out.truncate(start);
                false
            }
        }
    })
}

/// `data` as deflate stored blocks (at most 65,535 bytes each).
fn stored_into(data: &[u8], out: &mut Vec<u8>) {
    let mut blocks = data.chunks(65_535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let len = block.len() as u16;
        out.push(u8::from(blocks.peek().is_none()));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
}

/// Standard base64 with padding (what `atob` reads).
pub(crate) fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(ABC[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut v = Vec::new();
        put_varint(&mut v, 0);
        put_varint(&mut v, 127);
        put_varint(&mut v, 128);
        put_varint(&mut v, 300);
        assert_eq!(v, [0, 127, 0x80, 1, 0xAC, 2]);
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn gzip_is_reproducible() {
        let a = gzip(b"hello hello hello", 6);
        assert_eq!(a, gzip(b"hello hello hello", 6));
        assert_eq!(&a[..2], &[0x1f, 0x8b]);
    }

    #[test]
    fn gzip_round_trips_at_every_level() {
        use std::io::Read;
        let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for data in [&b""[..], b"x", b"hello hello hello", &big] {
            for level in [0, 1, 2, 6, 9, 12] {
                let z = gzip(data, level);
                let mut back = Vec::new();
                flate2::read::GzDecoder::new(&z[..])
                    .read_to_end(&mut back)
                    .expect("the member decodes");
                assert_eq!(back, data, "level {level}, {} bytes", data.len());
            }
        }
    }
}
