//! A minimal protocol-buffers reader: just what the OSM PBF messages need
//! (varints, zigzag, length-delimited fields, packed repeated integers).
//! Every read is bounds-checked and returns `None` on malformed input.

/// Wire types used by OSM PBF.
pub const VARINT: u8 = 0;
pub const I64: u8 = 1;
pub const LEN: u8 = 2;
pub const I32: u8 = 5;

/// A field's value as read from the wire.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    /// A fixed-width value (none of the fields read here has one; skipped).
    Fixed64,
    Fixed32,
}

impl<'a> Value<'a> {
    pub fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

/// Reads a varint at `*pos`, advancing it.
#[inline]
pub fn varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut out = 0u64;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(*pos)?;
        *pos += 1;
        if shift == 63 && b > 1 {
            return None;
        }
        out |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(out);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

#[inline]
pub fn zigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Iterates the fields of one message: `(field number, value)`, or one `Err(())`
/// (then stops) when the message is malformed.
pub struct Fields<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

pub fn fields(buf: &[u8]) -> Fields<'_> {
    Fields { buf, pos: 0, failed: false }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Value<'a>), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let r = self.read();
        if r.is_none() {
            self.failed = true;
        }
        Some(r.ok_or(()))
    }
}

impl<'a> Fields<'a> {
    fn read(&mut self) -> Option<(u32, Value<'a>)> {
        let key = varint(self.buf, &mut self.pos)?;
        let field = u32::try_from(key >> 3).ok()?;
        if field == 0 {
            return None;
        }
        let value = match (key & 7) as u8 {
            VARINT => Value::Varint(varint(self.buf, &mut self.pos)?),
            LEN => {
                let len = usize::try_from(varint(self.buf, &mut self.pos)?).ok()?;
                let end = self.pos.checked_add(len)?;
                let b = self.buf.get(self.pos..end)?;
                self.pos = end;
                Value::Bytes(b)
            }
            I64 => {
                self.buf.get(self.pos..self.pos.checked_add(8)?)?;
                self.pos += 8;
                Value::Fixed64
            }
            I32 => {
                self.buf.get(self.pos..self.pos.checked_add(4)?)?;
                self.pos += 4;
                Value::Fixed32
            }
            _ => return None,
        };
        Some((field, value))
    }
}

/// Appends the integers of a repeated varint field, packed (one `Bytes`) or
/// not (one `Varint` per element), as the protobuf rules require a reader to accept.
pub fn push_varints(v: Value<'_>, out: &mut Vec<u64>) -> Option<()> {
    match v {
        Value::Varint(x) => out.push(x),
        Value::Bytes(b) => {
            let mut pos = 0;
            while pos < b.len() {
                out.push(varint(b, &mut pos)?);
            }
        }
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
pub mod write {
    //! A protobuf writer for tests: builds small PBF files by hand.
    pub fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    pub fn zz(v: i64) -> u64 {
        ((v << 1) ^ (v >> 63)) as u64
    }

    pub fn key(out: &mut Vec<u8>, field: u32, wire: u8) {
        varint(out, (u64::from(field) << 3) | u64::from(wire));
    }

    pub fn uint(out: &mut Vec<u8>, field: u32, v: u64) {
        key(out, field, super::VARINT);
        varint(out, v);
    }

    pub fn bytes(out: &mut Vec<u8>, field: u32, b: &[u8]) {
        key(out, field, super::LEN);
        varint(out, b.len() as u64);
        out.extend_from_slice(b);
    }

    pub fn packed(out: &mut Vec<u8>, field: u32, vals: impl IntoIterator<Item = u64>) {
        let mut b = Vec::new();
        for v in vals {
            varint(&mut b, v);
        }
        bytes(out, field, &b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_zigzag_round_trip() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut b = Vec::new();
            write::varint(&mut b, v);
            let mut pos = 0;
            assert_eq!(varint(&b, &mut pos), Some(v));
            assert_eq!(pos, b.len());
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(zigzag(write::zz(v)), v);
        }
    }

    #[test]
    fn a_cut_message_is_an_error_not_a_panic() {
        let mut b = Vec::new();
        write::bytes(&mut b, 1, b"hello");
        for cut in 0..b.len() {
            let r: Result<Vec<_>, _> = fields(&b[..cut]).collect();
            assert!(cut == 0 || r.is_err(), "cut at {cut}");
        }
        let mut pos = 0;
        assert_eq!(varint(&[0xff; 11], &mut pos), None);
    }
}
