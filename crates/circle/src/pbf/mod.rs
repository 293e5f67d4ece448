//! Reads an OpenStreetMap `.osm.pbf` file from memory: the blob framing, zlib, and the primitive
//! blocks' nodes and ways (https://wiki.openstreetmap.org/wiki/PBF_Format). Only what the walking
//! graph needs is kept: every located node and the node lists of walkable ways ([`crate::walk`]).
//! Every length and index is checked; malformed input is an [`Error`], never a panic.

use crate::error::Error;
use crate::proto::{self, Value};
use crate::walk::{WayTags, is_walkable};

/// The specification's limits: a blob header is at most 64 KiB, a blob at most 32 MiB.
const MAX_HEADER: usize = 64 * 1024;
const MAX_BLOB: usize = 32 * 1024 * 1024;

/// Coordinates are kept as osmium keeps them: integers in 1e-7 degrees.
pub const COORD_SCALE: f64 = 1e7;

/// What one data block holds for the walking graph.
#[derive(Debug, Default, Clone)]
pub struct Block {
    /// Located nodes, in file order; coordinates in 1e-7 degrees.
    pub node_ids: Vec<i64>,
    pub node_lon: Vec<i32>,
    pub node_lat: Vec<i32>,
    /// The node ids of the walkable ways, one after another; `way_ends[i]` ends way `i`.
    pub way_refs: Vec<i64>,
    pub way_ends: Vec<usize>,
    /// Buildings and amenities (only when asked for, see [`read_with`]).
    pub places: Vec<RawPlace>,
}

/// A node or way tagged `building` or `amenity`, as read: a node's location (1e-7 degrees), or a
/// way's node ids (located later).
#[derive(Debug, Clone, PartialEq)]
pub struct RawPlace {
    pub way: bool,
    pub id: i64,
    pub building: Option<String>,
    pub amenity: Option<String>,
    pub name: Option<String>,
    pub lon: i32,
    pub lat: i32,
    pub refs: Vec<i64>,
}

/// The tags a place keeps.
#[derive(Default)]
struct PlaceTags<'a> {
    building: Option<&'a [u8]>,
    amenity: Option<&'a [u8]>,
    name: Option<&'a [u8]>,
}

impl<'a> PlaceTags<'a> {
    fn set(&mut self, k: &[u8], v: &'a [u8]) {
        match k {
            b"building" => self.building = Some(v),
            b"amenity" => self.amenity = Some(v),
            b"name" => self.name = Some(v),
            _ => {}
        }
    }

    fn place(&self, way: bool, id: i64) -> Option<RawPlace> {
        if self.building.is_none() && self.amenity.is_none() {
            return None;
        }
        let text = |v: Option<&[u8]>| v.map(|v| String::from_utf8_lossy(v).into_owned());
        Some(RawPlace {
            way,
            id,
            building: text(self.building),
            amenity: text(self.amenity),
            name: text(self.name),
            lon: 0,
            lat: 0,
            refs: Vec::new(),
        })
    }
}

impl Block {
    pub fn ways(&self) -> impl Iterator<Item = &[i64]> {
        let mut start = 0;
        self.way_ends.iter().map(move |&end| {
            let w = &self.way_refs[start..end];
            start = end;
            w
        })
    }
}

/// One framed data blob: its byte offset in the file and its encoded body.
struct Frame<'a> {
    offset: usize,
    data: &'a [u8],
}

/// Splits the file into blobs, checking the header block. Returns the data blobs.
fn frames(buf: &[u8]) -> Result<Vec<Frame<'_>>, Error> {
    if buf.is_empty() {
        return Err(Error::NotPbf { reason: "empty file" });
    }
    let head = &buf[..buf.len().min(512)];
    let text = String::from_utf8_lossy(head);
    if text.trim_start().starts_with("<?xml") || text.trim_start().starts_with("<osm") {
        return Err(Error::NotPbf { reason: "it is OSM XML; convert it with `osmium cat FILE.osm -o FILE.osm.pbf`" });
    }
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let first = pos == 0;
        let not_pbf = |e: Error| if first { Error::NotPbf { reason: "unrecognised header" } } else { e };
        let len_bytes = buf.get(pos..pos + 4).ok_or(Error::Truncated { offset: pos })?;
        let header_len = u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        if header_len > MAX_HEADER {
            return Err(not_pbf(Error::Corrupt { block: out.len() + 1, what: "blob header longer than 64 KiB" }));
        }
        let header = buf.get(pos + 4..pos + 4 + header_len).ok_or(not_pbf(Error::Truncated { offset: pos }))?;
        let (kind, size) = blob_header(header)
            .ok_or(not_pbf(Error::Corrupt { block: out.len() + 1, what: "malformed blob header" }))?;
        if size > MAX_BLOB {
            return Err(not_pbf(Error::Corrupt { block: out.len() + 1, what: "blob larger than 32 MiB" }));
        }
        let start = pos + 4 + header_len;
        let data = buf.get(start..start + size).ok_or(Error::Truncated { offset: pos })?;
        if first {
            if kind != b"OSMHeader" {
                return Err(Error::NotPbf { reason: "the first block is not an OSMHeader" });
            }
            check_header(&decompress(data, 0)?)?;
        } else if kind == b"OSMData" {
            out.push(Frame { offset: pos, data });
        } else if kind == b"OSMHeader" {
            return Err(Error::Corrupt { block: out.len() + 1, what: "a second OSMHeader" });
        }
        // Other blob types are allowed by the format and skipped.
        pos = start + size;
    }
    Ok(out)
}

fn blob_header(b: &[u8]) -> Option<(&[u8], usize)> {
    let (mut kind, mut size) = (None, None);
    for f in proto::fields(b) {
        match f.ok()? {
            (1, Value::Bytes(t)) => kind = Some(t),
            (3, Value::Varint(s)) => size = Some(usize::try_from(s).ok()?),
            _ => {}
        }
    }
    Some((kind?, size?))
}

/// The header block's required features must all be understood.
fn check_header(b: &[u8]) -> Result<(), Error> {
    for f in proto::fields(b) {
        let (n, v) = f.map_err(|_| Error::NotPbf { reason: "unrecognised header" })?;
        if n == 4 {
            let feature = v.bytes().ok_or(Error::NotPbf { reason: "unrecognised header" })?;
            if !matches!(feature, b"OsmSchema-V0.6" | b"DenseNodes") {
                return Err(Error::Unsupported {
                    what: format!("required feature {}", String::from_utf8_lossy(feature)),
                });
            }
        }
    }
    Ok(())
}

/// A blob's content, inflated. `block` numbers the blob for error messages (0 = the header).
fn decompress(blob: &[u8], block: usize) -> Result<Vec<u8>, Error> {
    let corrupt = |what| Error::Corrupt { block, what };
    let (mut raw, mut raw_size, mut zlib) = (None, None, None);
    for f in proto::fields(blob) {
        match f.map_err(|_| corrupt("malformed blob"))? {
            (1, Value::Bytes(b)) => raw = Some(b),
            (2, Value::Varint(s)) => raw_size = Some(s as usize),
            (3, Value::Bytes(b)) => zlib = Some(b),
            (4, _) => return Err(Error::Unsupported { what: "LZMA-compressed blocks".into() }),
            (5, _) => return Err(Error::Unsupported { what: "bzip2-compressed blocks".into() }),
            (6, _) => return Err(Error::Unsupported { what: "LZ4-compressed blocks".into() }),
            (7, _) => return Err(Error::Unsupported { what: "Zstandard-compressed blocks".into() }),
            _ => {}
        }
    }
    if let Some(r) = raw {
        return Ok(r.to_vec());
    }
    let z = zlib.ok_or(corrupt("blob without data"))?;
    let size = raw_size.ok_or(corrupt("compressed blob without its raw size"))?;
    if size > MAX_BLOB {
        return Err(corrupt("blob larger than 32 MiB"));
    }
    let mut out = Vec::with_capacity(size);
    let mut d = flate2::Decompress::new(true);
    match d.decompress_vec(z, &mut out, flate2::FlushDecompress::Finish) {
        Ok(flate2::Status::StreamEnd) if out.len() == size => Ok(out),
        Ok(_) => Err(corrupt("zlib data shorter or longer than its raw size")),
        Err(_) => Err(corrupt("bad zlib data")),
    }
}

/// Decodes every data block, on up to `threads` threads, in file order: the walking graph's
/// nodes and ways only.
pub fn read(buf: &[u8], threads: usize) -> Result<Vec<Block>, Error> {
    read_with(buf, threads, false)
}

/// As [`read`]; with `places`, also the nodes and ways tagged `building` or `amenity`.
pub fn read_with(buf: &[u8], threads: usize, places: bool) -> Result<Vec<Block>, Error> {
    let frames = frames(buf)?;
    let decode = |i: usize| -> Result<Block, Error> {
        let raw = decompress(frames[i].data, i + 1)?;
        primitive_block(&raw, places).map_err(|what| Error::Corrupt { block: i + 1, what })
    };
    let threads = threads.clamp(1, frames.len().max(1));
    if threads == 1 {
        return (0..frames.len()).map(decode).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<Block, Error>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= frames.len() {
                            return mine;
                        }
                        mine.push((i, decode(i)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    results.sort_by_key(|(i, _)| *i);
    if results.len() != frames.len() {
        return Err(Error::Corrupt { block: 0, what: "a decoding thread failed" });
    }
    results.into_iter().map(|(_, r)| r).collect()
}

/// The byte offset of each data block (for messages and tests).
pub fn block_offsets(buf: &[u8]) -> Result<Vec<usize>, Error> {
    Ok(frames(buf)?.iter().map(|f| f.offset).collect())
}

struct Ctx<'a> {
    places: bool,
    strings: Vec<&'a [u8]>,
    granularity: i64,
    lat_offset: i64,
    lon_offset: i64,
}

impl<'a> Ctx<'a> {
    fn string(&self, i: u64) -> Option<&'a [u8]> {
        self.strings.get(usize::try_from(i).ok()?).copied()
    }

    /// Nanodegrees to osmium's 1e-7 degrees (integer division, as libosmium does); `None` when
    /// the value overflows or lies outside the valid range (osmium's `location.valid()`).
    #[inline]
    fn coord(&self, offset: i64, v: i64, limit: i64) -> Option<Option<i32>> {
        let nano = self.granularity.checked_mul(v)?.checked_add(offset)?;
        let c = nano / 100;
        Some(if c.abs() <= limit { Some(c as i32) } else { None })
    }
}

const LON_LIMIT: i64 = 1_800_000_000;
const LAT_LIMIT: i64 = 900_000_000;

fn primitive_block(b: &[u8], places: bool) -> Result<Block, &'static str> {
    const BAD: &str = "malformed primitive block";
    let mut ctx = Ctx { places, strings: Vec::new(), granularity: 100, lat_offset: 0, lon_offset: 0 };
    let mut groups = Vec::new();
    for f in proto::fields(b) {
        match f.map_err(|_| BAD)? {
            (1, Value::Bytes(st)) => {
                for s in proto::fields(st) {
                    if let (1, Value::Bytes(s)) = s.map_err(|_| "malformed string table")? {
                        ctx.strings.push(s);
                    }
                }
            }
            (2, Value::Bytes(g)) => groups.push(g),
            (17, Value::Varint(g)) => ctx.granularity = g as i32 as i64,
            (19, Value::Varint(o)) => ctx.lat_offset = o as i64,
            (20, Value::Varint(o)) => ctx.lon_offset = o as i64,
            _ => {}
        }
    }
    let mut out = Block::default();
    let mut scratch = Scratch::default();
    for g in groups {
        for f in proto::fields(g) {
            match f.map_err(|_| "malformed primitive group")? {
                (1, Value::Bytes(n)) => node(&ctx, n, &mut out).ok_or("malformed node")?,
                (2, Value::Bytes(d)) => dense(&ctx, d, &mut out, &mut scratch).ok_or("malformed dense nodes")?,
                (3, Value::Bytes(w)) => way(&ctx, w, &mut out, &mut scratch).ok_or("malformed way")?,
                _ => {}
            }
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Scratch {
    a: Vec<u64>,
    b: Vec<u64>,
    c: Vec<u64>,
    d: Vec<u64>,
}

fn node(ctx: &Ctx, b: &[u8], out: &mut Block) -> Option<()> {
    let (mut id, mut lat, mut lon) = (None, None, None);
    let (mut keys, mut vals) = (Vec::new(), Vec::new());
    for f in proto::fields(b) {
        match f.ok()? {
            (1, Value::Varint(v)) => id = Some(proto::zigzag(v)),
            (2, v) if ctx.places => proto::push_varints(v, &mut keys)?,
            (3, v) if ctx.places => proto::push_varints(v, &mut vals)?,
            (8, Value::Varint(v)) => lat = Some(proto::zigzag(v)),
            (9, Value::Varint(v)) => lon = Some(proto::zigzag(v)),
            _ => {}
        }
    }
    let (id, lat, lon) = (id?, lat?, lon?);
    let lat = ctx.coord(ctx.lat_offset, lat, LAT_LIMIT)?;
    let lon = ctx.coord(ctx.lon_offset, lon, LON_LIMIT)?;
    if let (Some(lat), Some(lon)) = (lat, lon) {
        out.node_ids.push(id);
        out.node_lat.push(lat);
        out.node_lon.push(lon);
        if ctx.places {
            if keys.len() != vals.len() {
                return None;
            }
            let mut tags = PlaceTags::default();
            for (k, v) in keys.iter().zip(&vals) {
                tags.set(ctx.string(*k)?, ctx.string(*v)?);
            }
            if let Some(p) = tags.place(false, id) {
                out.places.push(RawPlace { lon, lat, ..p });
            }
        }
    }
    Some(())
}

fn dense(ctx: &Ctx, b: &[u8], out: &mut Block, s: &mut Scratch) -> Option<()> {
    let (ids, lats, lons, kv) = (&mut s.a, &mut s.b, &mut s.c, &mut s.d);
    ids.clear();
    lats.clear();
    lons.clear();
    kv.clear();
    for f in proto::fields(b) {
        match f.ok()? {
            (1, v) => proto::push_varints(v, ids)?,
            (8, v) => proto::push_varints(v, lats)?,
            (9, v) => proto::push_varints(v, lons)?,
            (10, v) if ctx.places => proto::push_varints(v, kv)?,
            _ => {}
        }
    }
    // keys_vals: each node's key, value pairs, then a 0 (or nothing at all when no node has tags).
    let mut kv_pos = 0;
    if ids.len() != lats.len() || ids.len() != lons.len() {
        return None;
    }
    out.node_ids.reserve(ids.len());
    out.node_lat.reserve(ids.len());
    out.node_lon.reserve(ids.len());
    let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
    for i in 0..ids.len() {
        id = id.wrapping_add(proto::zigzag(ids[i]));
        lat = lat.checked_add(proto::zigzag(lats[i]))?;
        lon = lon.checked_add(proto::zigzag(lons[i]))?;
        let la = ctx.coord(ctx.lat_offset, lat, LAT_LIMIT)?;
        let lo = ctx.coord(ctx.lon_offset, lon, LON_LIMIT)?;
        let mut tags = PlaceTags::default();
        if ctx.places && kv_pos < kv.len() {
            loop {
                let k = *kv.get(kv_pos)?;
                kv_pos += 1;
                if k == 0 {
                    break;
                }
                let v = *kv.get(kv_pos)?;
                kv_pos += 1;
                tags.set(ctx.string(k)?, ctx.string(v)?);
            }
        }
        if let (Some(la), Some(lo)) = (la, lo) {
            out.node_ids.push(id);
            out.node_lat.push(la);
            out.node_lon.push(lo);
            if let Some(p) = tags.place(false, id) {
                out.places.push(RawPlace { lon: lo, lat: la, ..p });
            }
        }
    }
    Some(())
}

fn way(ctx: &Ctx, b: &[u8], out: &mut Block, s: &mut Scratch) -> Option<()> {
    let (keys, vals, refs) = (&mut s.a, &mut s.b, &mut s.c);
    keys.clear();
    vals.clear();
    refs.clear();
    let mut way_id = 0;
    for f in proto::fields(b) {
        match f.ok()? {
            (1, Value::Varint(v)) => way_id = v as i64,
            (2, v) => proto::push_varints(v, keys)?,
            (3, v) => proto::push_varints(v, vals)?,
            (8, v) => proto::push_varints(v, refs)?,
            _ => {}
        }
    }
    if keys.len() != vals.len() {
        return None;
    }
    let mut tags = WayTags::default();
    let mut place = PlaceTags::default();
    for (k, v) in keys.iter().zip(vals.iter()) {
        let (k, v) = (ctx.string(*k)?, ctx.string(*v)?);
        tags.set(k, v);
        place.set(k, v);
    }
    let place = if ctx.places { place.place(true, way_id) } else { None };
    // Like reference.py, a way needs two nodes to make an edge.
    let walk = is_walkable(&tags) && refs.len() >= 2;
    if !walk && place.is_none() {
        return Some(());
    }
    let mut id = 0i64;
    let ids: Vec<i64> = refs
        .iter()
        .map(|r| {
            id = id.wrapping_add(proto::zigzag(*r));
            id
        })
        .collect();
    if walk {
        out.way_refs.extend_from_slice(&ids);
        out.way_ends.push(out.way_refs.len());
    }
    if let Some(p) = place {
        out.places.push(RawPlace { refs: ids, ..p });
    }
    Some(())
}

#[cfg(test)]
pub mod tests;
